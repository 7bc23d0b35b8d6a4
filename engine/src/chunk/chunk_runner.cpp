// RunChunkPhase (chunk_runner.hpp): sets up the checkpoints of a phase (once), runs one thread
// per worker, and relays their events to the listener on the caller's thread.
#include "chunk/chunk_runner.hpp"

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

#include "chunk/pacing.hpp"
#include "history/checkpoints.hpp"
#include "run/transaction.hpp"

namespace strata {
namespace {

using Clock = Env::Clock;

long long MsSince(Env& env, Clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(env.Now() - start).count();
}

// What the workers share with the thread that started them.
struct Shared {
  struct Event {
    bool wait = false;
    ChunkEvent chunk;
    std::string why;
  };
  std::mutex mutex;
  std::condition_variable wake;
  std::deque<Event> events;
  std::optional<Error> error;  // the first worker error
  int running = 0;
  std::atomic<bool> stop{false};
  std::atomic<long long> rows_done{0};
  long long rows_total = -1;

  void Post(Event e) {
    std::lock_guard<std::mutex> lock(mutex);
    events.push_back(std::move(e));
    wake.notify_all();
  }
  void Fail(Error e) {
    std::lock_guard<std::mutex> lock(mutex);
    if (!error) error = std::move(e);
    stop.store(true);
    wake.notify_all();
  }
  void Finished() {
    std::lock_guard<std::mutex> lock(mutex);
    --running;
    wake.notify_all();
  }
};

class Worker {
 public:
  Worker(StepContext& c, const ChunkPhase& phase, Connection& connection, Checkpoint checkpoint,
         Pacer& pacer, Shared& shared)
      : c_(c), phase_(phase), db_(connection), cp_(std::move(checkpoint)), pacer_(pacer),
        shared_(shared), store_(connection, *c.session.dialect, c.options.history_table) {}

  // The worker's thread.
  void Run() {
    try {
      Loop();
    } catch (const Error& e) {
      shared_.Fail(e);
    } catch (const std::exception& e) {
      shared_.Fail(Error(ErrorKind::kInternal, e.what()));
    }
    shared_.Finished();
  }

 private:
  void Loop();
  // Where the chunk of up to `size` keys after `after` ends (into `last`); returns its rows.
  long long NextChunk(const std::optional<Key>& after, const std::optional<Key>& upto,
                      long long size, Key& last);
  std::optional<Key> Decoded(const std::optional<std::string>& text) const {
    return text ? std::optional<Key>(DecodeKey(*text)) : std::nullopt;
  }

  StepContext& c_;
  const ChunkPhase& phase_;
  Connection& db_;
  Checkpoint cp_;
  Pacer& pacer_;
  Shared& shared_;
  CheckpointStore store_;
};

long long Worker::NextChunk(const std::optional<Key>& after, const std::optional<Key>& upto,
                            long long size, Key& last) {
  // A full chunk's end comes as one row; sending all its keys cost a tenth of a chunked
  // UPDATE's time on MariaDB. Only the last chunk of a range reads its keys.
  const auto end = db_.Query(phase_.keyset.ChunkEnd(after, upto, size));
  if (!end.empty()) {
    for (const Cell& cell : end[0]) last.push_back(cell.value_or(""));
    return size;
  }
  long long rows = 0;
  db_.QueryEach(phase_.keyset.NextKeys(after, upto, size), [&](const Row& r) {
    ++rows;
    last.clear();
    for (const Cell& cell : r) last.push_back(cell.value_or(""));
  });
  return rows;
}

void Worker::Loop() {
  std::unique_ptr<ChunkWork> work = phase_.make_work();
  const std::optional<Key> upto = Decoded(cp_.to);
  long long size = pacer_.first_size();
  long long my_rows = 0;  // since `since`, for the rate limit
  Clock::time_point since = c_.env.Now();
  auto notify = [this](const std::string& why) {
    Shared::Event wait;  // built field by field: GCC -O2 warned on the braced form
    wait.wait = true;
    wait.why = "worker " + std::to_string(cp_.worker) + ": " + why;
    shared_.Post(std::move(wait));
  };
  while (!cp_.done) {
    if (pacer_.Wait(db_, my_rows, since, notify, shared_.stop)) {
      my_rows = 0;  // paused or throttled: the rate counts from now
      since = c_.env.Now();
    }
    if (shared_.stop.load() || c_.env.cancel().cancelled()) return;
    const Clock::time_point started = c_.env.Now();
    const std::optional<Key> after = Decoded(cp_.last ? cp_.last : cp_.from);
    Key last;
    const long long rows = NextChunk(after, upto, size, last);
    Transaction tx(db_);
    long long written = 0;
    if (rows > 0) written = work->Run(db_, phase_.keyset.Range(after, last));
    if (rows > 0) cp_.last = EncodeKey(last);
    cp_.rows_done += rows;
    cp_.chunks_done += rows > 0 ? 1 : 0;
    cp_.done = rows < size;
    store_.Advance(cp_);
    tx.Commit();
    my_rows += rows;
    const long long ms = MsSince(c_.env, started);
    ChunkEvent e;
    e.worker = cp_.worker;
    e.rows = rows;
    e.written = written;
    e.ms = ms;
    e.rows_done = shared_.rows_done.fetch_add(rows) + rows;
    e.rows_total = shared_.rows_total;
    e.last_key = cp_.last ? ShowKey(DecodeKey(*cp_.last)) : "";
    size = pacer_.NextSize(size, rows, ms);
    e.next_rows = size;
    if (rows > 0 || cp_.chunks_done == 0) shared_.Post({false, e, ""});
  }
}

long long EstimateTotal(Connection& db, const Keyset& keyset) {
  if (keyset.filter().empty()) {
    if (auto n = db.EstimateRows(keyset.table())) return *n;
  }
  const auto rows = db.Query("SELECT COUNT(*) FROM " + keyset.table() +
                             (keyset.filter().empty() ? "" : " WHERE " + keyset.filter()));
  return rows.empty() || !rows[0][0] ? -1 : std::stoll(*rows[0][0]);
}

// The checkpoints of a phase that starts now: one per worker, the key range split at evenly
// spaced positions of the key order.
std::vector<Checkpoint> Partition(StepContext& c, const ChunkPhase& phase, long long total,
                                  long long first_size) {
  Connection& db = *c.session.connection;
  const auto null_keys = db.Query(phase.keyset.NullKeys());
  if (!null_keys.empty()) {
    throw Error(ErrorKind::kValidation,
                phase.keyset.table() + " has rows whose key (" + phase.keyset.Columns() +
                    ") is NULL: chunks in key order can never reach them")
        .WithHint("chunk by a key that is never NULL (the primary key), or fill the NULLs first; "
                  "nothing of this step's chunks has run");
  }
  int workers = std::max(1, c.options.chunks.workers);
  if (!c.session.dialect->SupportsParallelWriters()) workers = 1;
  if (total >= 0 && total < 2 * first_size) workers = 1;  // too small to share
  std::vector<std::optional<std::string>> bounds = {std::nullopt};
  for (int w = 1; w < workers && total > 0; ++w) {
    const auto rows = db.Query(phase.keyset.KeyAt(total * w / workers));
    if (rows.empty()) break;
    Key k;
    for (const Cell& cell : rows[0]) k.push_back(cell.value_or(""));
    const std::string encoded = EncodeKey(k);
    if (bounds.back() && *bounds.back() == encoded) continue;
    bounds.push_back(encoded);
  }
  bounds.push_back(std::nullopt);
  std::vector<Checkpoint> out;
  for (size_t w = 0; w + 1 < bounds.size(); ++w) {
    Checkpoint cp;
    cp.step = phase.step;
    cp.phase = phase.phase;
    cp.worker = static_cast<int>(w);
    cp.from = bounds[w];
    cp.to = bounds[w + 1];
    out.push_back(cp);
  }
  return out;
}

}  // namespace

void RunChunkPhase(StepContext& c, const ChunkPhase& phase, ChunkPhaseResult& result) {
  Connection& db = *c.session.connection;
  CheckpointStore store(db, *c.session.dialect, c.options.history_table);
  if (phase.check) phase.check(db);
  Shared shared;
  shared.rows_total = EstimateTotal(db, phase.keyset);
  std::vector<Checkpoint> checkpoints = store.Load(phase.step, phase.phase);
  Pacer pacer(c.options.chunks, c.env, phase.first_rows,
              checkpoints.empty() ? std::max(1, c.options.chunks.workers)
                                  : static_cast<int>(checkpoints.size()));
  if (checkpoints.empty()) {
    checkpoints = Partition(c, phase, shared.rows_total, pacer.first_size());
    Transaction tx(db);
    for (const Checkpoint& cp : checkpoints) store.Insert(cp);
    tx.Commit();
  }
  for (const Checkpoint& cp : checkpoints) result.rows_before += cp.rows_done;
  shared.rows_done = result.rows_before;
  c.listener.OnChunkPhaseStart(phase.keyset.table(), result.rows_before, shared.rows_total);

  // Worker 0 works on the session's connection; the others on connections of their own.
  std::vector<std::unique_ptr<Connection>> own;
  std::vector<Connection*> connections;
  for (const Checkpoint& cp : checkpoints) {
    if (cp.done) continue;
    if (connections.empty()) {
      connections.push_back(&db);
      continue;
    }
    own.push_back(c.session.dialect->Connect({c.options.url, c.options.password, false}));
    connections.push_back(own.back().get());
  }
  std::vector<std::unique_ptr<Worker>> workers;
  size_t next = 0;
  for (const Checkpoint& cp : checkpoints) {
    if (cp.done) continue;
    workers.push_back(std::make_unique<Worker>(c, phase, *connections[next++], cp, pacer, shared));
  }
  {
    // A second Ctrl-C cancels every worker's statement on the server: its chunk rolls back.
    CancelToken::ForceScope force(c.env.cancel(), [&connections] {
      for (Connection* connection : connections) connection->CancelCurrent();
    });
    shared.running = static_cast<int>(workers.size());
    std::vector<std::thread> threads;
    for (auto& w : workers) threads.emplace_back([&w] { w->Run(); });
    std::unique_lock<std::mutex> lock(shared.mutex);
    for (;;) {
      shared.wake.wait(lock, [&] { return !shared.events.empty() || shared.running == 0; });
      while (!shared.events.empty()) {
        Shared::Event e = std::move(shared.events.front());
        shared.events.pop_front();
        lock.unlock();
        if (e.wait) {
          c.listener.OnChunkWait(e.why);
        } else {
          result.rows += e.chunk.rows;
          result.written += e.chunk.written;
          result.chunks.push_back({e.chunk.rows, e.chunk.ms, e.chunk.worker});
          if (workers.size() == 1) result.last_key = e.chunk.last_key;
          c.listener.OnChunkDone(e.chunk);
        }
        lock.lock();
      }
      if (shared.running == 0) break;
    }
    lock.unlock();
    for (auto& t : threads) t.join();
  }
  const long long done = shared.rows_done.load();
  if (c.env.cancel().forced()) {
    throw Error(ErrorKind::kInterrupted, "interrupted: the running chunks were cancelled and "
                                         "rolled back; " + std::to_string(done) +
                                         " rows of the chunks before them are committed");
  }
  if (shared.error) throw *shared.error;
  if (c.env.cancel().cancelled()) {
    throw Error(ErrorKind::kInterrupted, "interrupted between chunks: " + std::to_string(done) +
                                         " rows are done and committed with their checkpoint");
  }
}

}  // namespace strata
