# c
SELECT 'it\'s; ok', "a\";", `b``;`; -- x
/*!40101 SET NAMES utf8 */;
DELIMITER $$
CREATE PROCEDURE p() BEGIN SELECT 1; END$$
DELIMITER ;;
select 1;;
delimiter d//
SELECT 2;
d//
DELIMITER ;
--x comment
SELECT 3
