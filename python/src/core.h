// Shared pieces of the `kelp._kelp` extension: the open store (Core) that
// every Gateway/Upload/Download handle refers to, error translation and the
// per-TU binding entry points.
//
// Locking contract: Core::mu_ is a reader/writer lock. Every libkelp call
// runs with the GIL released and the shared side held, so store.close()
// (exclusive side) waits for calls in flight, then drops the streams still
// open and frees the gateway and the store. Nothing that holds mu_ ever
// waits for the GIL, so the two never deadlock.
#pragma once

#include <pybind11/pybind11.h>

#include <memory>
#include <mutex>
#include <set>
#include <shared_mutex>
#include <string>

#include "api/gateway.h"
#include "api/open_store.h"
#include "base/status.h"

namespace kelp::py {

namespace pyb = pybind11;

// A failed kelp::Status on its way to Python (translated to kelp.Error and
// its subclasses by the translator registered in module.cc).
struct StatusError {
  Status status;
};

[[noreturn]] inline void Throw(const Status& st) { throw StatusError{st}; }
inline void Check(const Status& st) {
  if (!st.ok()) Throw(st);
}
template <typename T>
T Unwrap(Result<T> r) {
  if (!r.ok()) Throw(r.status());
  return std::move(*r);
}

// An Upload or Download handle: Core drops its libkelp object on close.
class Stream {
 public:
  virtual ~Stream() = default;
  virtual void Drop() = 0;  // called with Core's lock held exclusively
};

class Core {
 public:
  // Opens the store and gateway (caller releases the GIL).
  static std::shared_ptr<Core> Open(const api::StoreSpec& spec);

  // Runs fn(gateway) under the shared lock; ValueError if closed. The caller
  // has released the GIL.
  template <typename F>
  auto With(F&& fn) {
    std::shared_lock lock(mu_);
    if (!gw_) throw pyb::value_error("operation on a closed kelp store");
    return fn(*gw_);
  }
  // Runs fn() under the shared lock (stream operations).
  template <typename F>
  auto Locked(F&& fn) {
    std::shared_lock lock(mu_);
    return fn();
  }
  bool closed() {
    std::shared_lock lock(mu_);
    return gw_ == nullptr;
  }
  // Waits for calls in flight, drops open streams, closes gateway and store.
  void Close();

  void Register(Stream* s);
  void Unregister(Stream* s);

 private:
  std::shared_mutex mu_;
  std::unique_ptr<store::ObjectStore> store_;
  std::unique_ptr<api::Gateway> gw_;
  std::mutex streams_mu_;
  std::set<Stream*> streams_;
};

// Runs fn(gateway) with the GIL released under Core's shared lock.
template <typename F>
auto NoGil(Core& core, F&& fn) {
  pyb::gil_scoped_release release;
  return core.With(std::forward<F>(fn));
}

// A Gateway acting as one identity.
struct GatewayHandle {
  std::shared_ptr<Core> core;
  api::RequestContext ctx;
};

// A contiguous (read-only unless `writable`) view of any buffer-protocol object.
class BufferView {
 public:
  explicit BufferView(const pyb::handle& obj, bool writable = false) {
    if (PyObject_GetBuffer(obj.ptr(), &view_, writable ? PyBUF_WRITABLE : PyBUF_SIMPLE) != 0) {
      throw pyb::error_already_set();
    }
  }
  ~BufferView() { PyBuffer_Release(&view_); }
  BufferView(const BufferView&) = delete;
  BufferView& operator=(const BufferView&) = delete;
  char* data() const { return static_cast<char*>(view_.buf); }
  size_t size() const { return static_cast<size_t>(view_.len); }

 private:
  Py_buffer view_{};
};

// Binding entry points, one per TU.
void BindStreams(pyb::module_& m);
void BindGateway(pyb::module_& m);

// Helpers shared by the TUs.
// (kelp code name, S3 code, HTTP status, message) of a failed Status.
pyb::tuple StatusTuple(const Status& st);
pyb::dict ObjectInfoToDict(const api::ObjectInfo& info);
std::map<std::string, std::string> ToStringMap(const pyb::object& o);  // None -> {}
pyb::object MakeUpload(std::shared_ptr<Core> core, std::unique_ptr<api::ObjectUpload> up);
pyb::object MakeDownload(std::shared_ptr<Core> core, std::unique_ptr<api::ObjectDownload> dl);

}  // namespace kelp::py
