// RunChunkPhase (chunk_runner.hpp): sets up the checkpoints of a phase (once), runs one thread
// per worker, and relays their events to the listener on the caller's thread.
#include "chunk/chunk_runner.hpp"

#include <condition_variable>
#include <deque>
#include <limits>
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

// One key-range partition, on one connection or, pipelined, on `lanes` connections: chunk n+1
// is found, read, transformed and sent on the next lane while chunk n writes, and the chunks
// commit in key order, each with the checkpoint that follows the one before it. A lane that
// fails rolls back its chunk and every later one; the earlier ones still commit.
class Worker {
 public:
  struct Lane {
    Connection& db;
    std::unique_ptr<ChunkWork> work;
    CheckpointStore store;
    long long chunk = 0;  // the chunk it works on, under mutex_
  };

  Worker(StepContext& c, const ChunkPhase& phase, const std::vector<Connection*>& connections,
         Checkpoint checkpoint, Pacer& pacer, Shared& shared)
      : c_(c), phase_(phase), cp_(std::move(checkpoint)), pacer_(pacer), shared_(shared),
        upto_(Decoded(cp_.to)), after_(Decoded(cp_.last ? cp_.last : cp_.from)),
        size_(pacer.first_size()), since_(c.env.Now()) {
    for (Connection* db : connections) {
      lanes_.push_back({*db, nullptr, CheckpointStore(*db, *c.session.dialect, c.options.history_table)});
    }
  }

  // The worker's thread; with several lanes, each but the first gets a thread of its own.
  void Run() {
    std::vector<std::thread> others;
    for (size_t i = 1; i < lanes_.size(); ++i) others.emplace_back([this, i] { RunLane(i); });
    RunLane(0);
    for (std::thread& t : others) t.join();
    shared_.Finished();
  }

 private:
  static constexpr long long kNone = std::numeric_limits<long long>::max();

  void RunLane(size_t i) {
    try {
      lanes_[i].work = phase_.make_work();
      Loop(lanes_[i], static_cast<long long>(i));
    } catch (const Error& e) {
      Failed(lanes_[i], e);
    } catch (const std::exception& e) {
      Failed(lanes_[i], Error(ErrorKind::kInternal, e.what()));
    }
  }
  void Failed(const Lane& lane, const Error& e) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      failed_at_ = std::min(failed_at_, lane.chunk);
      turn_.notify_all();
    }
    shared_.Fail(e);
  }
  // Lane `lane` runs chunks n = first, first + lanes, ...
  void Loop(Lane& lane, long long first);
  // Where the chunk of up to `size` keys after `after` ends (into `last`); returns its rows.
  long long NextChunk(Connection& db, const std::optional<Key>& after, long long size, Key& last);
  std::optional<Key> Decoded(const std::optional<std::string>& text) const {
    return text ? std::optional<Key>(DecodeKey(*text)) : std::nullopt;
  }

  StepContext& c_;
  const ChunkPhase& phase_;
  Checkpoint cp_;  // written by the lane whose chunk commits next, only
  Pacer& pacer_;
  Shared& shared_;
  std::vector<Lane> lanes_;
  const std::optional<Key> upto_;

  // The chunk sequence, under mutex_: chunk n's range is found once chunk n-1's is (ranged_),
  // and it commits once chunk n-1 has (committed_).
  std::mutex mutex_;
  std::condition_variable turn_;
  long long ranged_ = 0, committed_ = 0;
  bool no_more_ = false;         // the last chunk's range is found, or the run stops
  long long failed_at_ = kNone;  // the first chunk that failed: it and those after roll back
  std::optional<Key> after_;  // where the next chunk starts
  long long size_;            // the next chunk's size
  long long rate_rows_ = 0;   // committed since `since_`, for the rate limit
  Clock::time_point since_;
};

long long Worker::NextChunk(Connection& db, const std::optional<Key>& after, long long size,
                            Key& last) {
  // A full chunk's end comes as one row; sending all its keys cost a tenth of a chunked
  // UPDATE's time on MariaDB. Only the last chunk of a range reads its keys.
  const auto end = db.Query(phase_.keyset.ChunkEnd(after, upto_, size));
  if (!end.empty()) {
    for (const Cell& cell : end[0]) last.push_back(cell.value_or(""));
    return size;
  }
  long long rows = 0;
  db.QueryEach(phase_.keyset.NextKeys(after, upto_, size), [&](const Row& r) {
    ++rows;
    last.clear();
    for (const Cell& cell : r) last.push_back(cell.value_or(""));
  });
  return rows;
}

void Worker::Loop(Lane& lane, long long first) {
  const long long lanes = static_cast<long long>(lanes_.size());
  auto notify = [this](const std::string& why) {
    Shared::Event wait;  // built field by field: GCC -O2 warned on the braced form
    wait.wait = true;
    wait.why = "worker " + std::to_string(cp_.worker) + ": " + why;
    shared_.Post(std::move(wait));
  };
  std::unique_lock<std::mutex> lock(mutex_);
  if (cp_.done) return;
  for (long long n = first;; n += lanes) {
    turn_.wait(lock, [&] { return ranged_ == n || no_more_ || failed_at_ != kNone; });
    if (no_more_ || failed_at_ != kNone) return;
    lane.chunk = n;
    // This lane's turn to find the next range: pace first, outside any transaction.
    const long long rate_rows = rate_rows_;
    const Clock::time_point since = since_;
    lock.unlock();
    const bool waited = pacer_.Wait(lane.db, rate_rows, since, notify, shared_.stop);
    const bool stop = shared_.stop.load() || c_.env.cancel().cancelled();
    const Clock::time_point started = c_.env.Now();
    const std::optional<Key> after = after_;
    const long long size = size_;
    Key last;
    const long long rows = stop ? 0 : NextChunk(lane.db, after, size, last);
    lock.lock();
    if (waited) {
      rate_rows_ = 0;  // paused or throttled: the rate counts from now
      since_ = c_.env.Now();
    }
    if (stop) {
      no_more_ = true;
      turn_.notify_all();
      return;
    }
    if (rows > 0) after_ = last;
    if (rows < size) no_more_ = true;
    ranged_ = n + 1;
    turn_.notify_all();
    lock.unlock();

    Transaction tx(lane.db);
    long long written = 0;
    if (rows > 0) written = lane.work->Run(lane.db, phase_.keyset.Range(after, last));
    lock.lock();
    turn_.wait(lock, [&] { return committed_ == n || failed_at_ < n; });
    if (failed_at_ < n) {
      lock.unlock();
      return;  // an earlier chunk failed: this one rolls back
    }
    lock.unlock();
    if (rows > 0) cp_.last = EncodeKey(last);
    cp_.rows_done += rows;
    cp_.chunks_done += rows > 0 ? 1 : 0;
    cp_.done = rows < size;
    lane.store.Advance(cp_);
    tx.Commit();
    const long long ms = MsSince(c_.env, started);
    ChunkEvent e;
    e.worker = cp_.worker;
    e.rows = rows;
    e.written = written;
    e.ms = ms;
    e.rows_done = shared_.rows_done.fetch_add(rows) + rows;
    e.rows_total = shared_.rows_total;
    e.last_key = cp_.last ? ShowKey(DecodeKey(*cp_.last)) : "";
    const bool post = rows > 0 || cp_.chunks_done == 0;
    lock.lock();
    committed_ = n + 1;
    rate_rows_ += rows;
    size_ = pacer_.NextSize(size_, rows, ms);
    e.next_rows = size_;
    turn_.notify_all();
    if (post) shared_.Post({false, e, ""});
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

  // Worker 0's first lane works on the session's connection; every other lane on a connection
  // of its own. Pipelined lanes only where row locks are exact: with gap or next-key locks the
  // next chunk's read could wait for the one before it, which waits for it to commit.
  const int lanes = phase.lanes > 1 && c.session.dialect->RowLocksOnly() &&
                            c.session.dialect->SupportsParallelWriters() && c.options.chunks.pipeline
                        ? phase.lanes
                        : 1;
  std::vector<std::unique_ptr<Connection>> own;
  std::vector<Connection*> connections;
  std::vector<std::unique_ptr<Worker>> workers;
  for (const Checkpoint& cp : checkpoints) {
    if (cp.done) continue;
    std::vector<Connection*> mine;
    for (int lane = 0; lane < lanes; ++lane) {
      if (connections.empty()) {
        mine.push_back(&db);
      } else {
        own.push_back(c.session.dialect->Connect({c.options.url, c.options.password, false}));
        ApplyStatementLimits(*own.back(), c.limits);  // the step's limits, as on worker 0's
        mine.push_back(own.back().get());
      }
      connections.push_back(mine.back());
    }
    workers.push_back(std::make_unique<Worker>(c, phase, mine, cp, pacer, shared));
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
