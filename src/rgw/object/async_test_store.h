// Test helper: an ObjectStore decorator whose OperateAsync is really
// asynchronous, to test code that keeps several ops in flight (the object
// writer's stripe window, the reader's read-ahead) on the embedded store.
//
// Ops started with OperateAsync are queued and run on a worker thread only
// once somebody waits for one of them; then every queued op runs, newest
// first (ops in flight at once have no defined order, as on RADOS). So the
// caller's window fills up completely before anything completes, and
// completions come out of order. The store counts the ops in flight (most
// at once, split by writes and reads), flags two write ops in flight on one
// object at once (their order would be undefined), and can fail the Nth
// async write or read with a given status without applying it.
//
// Synchronous calls go straight to the wrapped store.
#pragma once

#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "store/object_store.h"

namespace kelp::rgw::testing {

class AsyncTestStore final : public store::ObjectStore {
 public:
  explicit AsyncTestStore(store::ObjectStore& base) : base_(base) {
    worker_ = std::thread([this] { Run(); });
  }
  ~AsyncTestStore() override {
    {
      std::lock_guard<std::mutex> l(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    worker_.join();
  }

  // Fails the nth (1-based) async write / read with `st`; 0 = never.
  void FailNthWrite(uint64_t n, Status st) {
    std::lock_guard<std::mutex> l(mu_);
    fail_write_n_ = n;
    fail_status_ = std::move(st);
  }
  void FailNthRead(uint64_t n, Status st) {
    std::lock_guard<std::mutex> l(mu_);
    fail_read_n_ = n;
    fail_status_ = std::move(st);
  }
  void ResetCounters() {
    std::lock_guard<std::mutex> l(mu_);
    max_writes_in_flight_ = max_reads_in_flight_ = 0;
    async_writes_ = async_reads_ = 0;
    bytes_read_ = 0;
    same_object_overlaps_ = 0;
  }
  uint64_t max_writes_in_flight() const { return Get(&AsyncTestStore::max_writes_in_flight_); }
  uint64_t max_reads_in_flight() const { return Get(&AsyncTestStore::max_reads_in_flight_); }
  uint64_t in_flight() const {
    std::lock_guard<std::mutex> l(mu_);
    return writes_in_flight_ + reads_in_flight_;
  }
  uint64_t async_writes() const { return Get(&AsyncTestStore::async_writes_); }
  uint64_t async_reads() const { return Get(&AsyncTestStore::async_reads_); }
  // Bytes returned by async reads' Read steps.
  uint64_t bytes_read() const { return Get(&AsyncTestStore::bytes_read_); }
  // Write ops started while another write op on the same object was in flight
  // (async or sync).
  uint64_t same_object_overlaps() const { return Get(&AsyncTestStore::same_object_overlaps_); }

  std::unique_ptr<store::PendingOp> OperateAsync(const store::ObjectId& id, store::WriteOp op,
                                                 uint64_t* version) override {
    auto job = std::make_shared<Job>();
    job->id = id;
    job->wop = std::move(op);
    job->version = version;
    return Submit(std::move(job));
  }
  std::unique_ptr<store::PendingOp> OperateAsync(const store::ObjectId& id,
                                                 store::ReadOp op) override {
    auto job = std::make_shared<Job>();
    job->id = id;
    job->rop = std::move(op);
    return Submit(std::move(job));
  }

  Status Operate(const store::ObjectId& id, const store::WriteOp& op,
                 uint64_t* version) override {
    {
      std::lock_guard<std::mutex> l(mu_);
      if (writing_.count(Key(id))) ++same_object_overlaps_;
    }
    return base_.Operate(id, op, version);
  }
  Status Operate(const store::ObjectId& id, const store::ReadOp& op) override {
    return base_.Operate(id, op);
  }
  Status CreatePool(const std::string& pool) override { return base_.CreatePool(pool); }
  Result<bool> PoolExists(const std::string& pool) override { return base_.PoolExists(pool); }
  Result<std::vector<std::string>> ListPools() override { return base_.ListPools(); }
  Result<std::vector<store::ListEntry>> List(const std::string& pool, const std::string& ns,
                                             const std::string& cursor, size_t max,
                                             std::string* next_cursor) override {
    return base_.List(pool, ns, cursor, max, next_cursor);
  }
  Result<uint64_t> Watch(const store::ObjectId& id, store::WatchCallback cb) override {
    return base_.Watch(id, std::move(cb));
  }
  Status Unwatch(uint64_t handle) override { return base_.Unwatch(handle); }
  Result<std::vector<store::NotifyReply>> Notify(const store::ObjectId& id,
                                                 const std::string& payload,
                                                 uint64_t timeout_ms) override {
    return base_.Notify(id, payload, timeout_ms);
  }
  uint64_t InstanceId() const override { return base_.InstanceId(); }
  Result<int64_t> PoolId(const std::string& pool) override { return base_.PoolId(pool); }

 private:
  struct Job {
    store::ObjectId id;
    std::optional<store::WriteOp> wop;
    std::optional<store::ReadOp> rop;
    uint64_t* version = nullptr;
    std::optional<Status> injected;
    bool done = false;
    Status result;
  };

  class Pending final : public store::PendingOp {
   public:
    Pending(AsyncTestStore* s, std::shared_ptr<Job> job) : s_(s), job_(std::move(job)) {}
    ~Pending() override { (void)Wait(); }
    Status Wait() override { return s_->WaitFor(*job_); }

   private:
    AsyncTestStore* s_;
    std::shared_ptr<Job> job_;
  };

  static std::string Key(const store::ObjectId& id) { return id.ToString(); }

  uint64_t Get(uint64_t AsyncTestStore::*field) const {
    std::lock_guard<std::mutex> l(mu_);
    return this->*field;
  }

  std::unique_ptr<store::PendingOp> Submit(std::shared_ptr<Job> job) {
    std::lock_guard<std::mutex> l(mu_);
    if (job->wop) {
      ++async_writes_;
      if (writing_[Key(job->id)]++ > 0) ++same_object_overlaps_;
      max_writes_in_flight_ = std::max(max_writes_in_flight_, ++writes_in_flight_);
      if (async_writes_ == fail_write_n_) job->injected = fail_status_;
    } else {
      ++async_reads_;
      max_reads_in_flight_ = std::max(max_reads_in_flight_, ++reads_in_flight_);
      if (async_reads_ == fail_read_n_) job->injected = fail_status_;
    }
    queue_.push_back(job);
    return std::make_unique<Pending>(this, std::move(job));
  }

  Status WaitFor(Job& job) {
    std::unique_lock<std::mutex> l(mu_);
    flush_ = true;
    cv_.notify_all();
    cv_.wait(l, [&] { return job.done; });
    return job.result;
  }

  void Run() {
    std::unique_lock<std::mutex> l(mu_);
    for (;;) {
      cv_.wait(l, [&] { return stop_ || (flush_ && !queue_.empty()); });
      if (queue_.empty() && stop_) return;
      std::deque<std::shared_ptr<Job>> batch;
      batch.swap(queue_);
      flush_ = false;
      l.unlock();
      for (auto it = batch.rbegin(); it != batch.rend(); ++it) {  // newest first
        Job& j = **it;
        Status st;
        if (j.injected) {
          st = *j.injected;
        } else if (j.wop) {
          st = base_.Operate(j.id, *j.wop, j.version);
        } else {
          st = base_.Operate(j.id, *j.rop);
        }
        l.lock();
        if (j.wop) {
          --writes_in_flight_;
          if (--writing_[Key(j.id)] == 0) writing_.erase(Key(j.id));
        } else {
          --reads_in_flight_;
          if (st.ok()) {
            for (const auto& step : j.rop->steps()) {
              if (step.type == store::OpStep::Type::kRead && step.out_data) {
                bytes_read_ += step.out_data->size();
              }
            }
          }
        }
        j.result = st;
        j.done = true;
        l.unlock();
        cv_.notify_all();
      }
      l.lock();
    }
  }

  store::ObjectStore& base_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::shared_ptr<Job>> queue_;
  std::map<std::string, int> writing_;  // objects with a write op in flight
  bool flush_ = false;
  bool stop_ = false;
  uint64_t writes_in_flight_ = 0, reads_in_flight_ = 0;
  uint64_t max_writes_in_flight_ = 0, max_reads_in_flight_ = 0;
  uint64_t async_writes_ = 0, async_reads_ = 0, bytes_read_ = 0;
  uint64_t same_object_overlaps_ = 0;
  uint64_t fail_write_n_ = 0, fail_read_n_ = 0;
  Status fail_status_;
  std::thread worker_;
};

}  // namespace kelp::rgw::testing
