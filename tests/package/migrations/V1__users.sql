-- tests/package: the table the transform and the index work on.
CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT);
INSERT INTO users VALUES (1, 'Ada@Example.ORG'), (2, 'bob@example.org'), (3, 'CAROL@EXAMPLE.ORG');
