// Translation of our WriteOp/ReadOp steps into one librados
// ObjectWriteOperation / ObjectReadOperation, and of the results back into
// the steps' outputs. OpState owns the librados op and every buffer the OSD
// reply is decoded into; it is shared with the completion callback so it
// outlives an op the caller stopped waiting for (timeout).
//
// Internal to store/rados (includes librados).
#pragma once

#include <rados/librados.hpp>

#include <condition_variable>
#include <ctime>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "base/status.h"
#include "store/object_store.h"

namespace kelp::store::rados {

// Where the OSD writes one step's results.
struct StepOut {
  librados::bufferlist bl;
  std::map<std::string, librados::bufferlist> attrs;
  std::set<std::string> keys;
  uint64_t size = 0;
  struct timespec ts = {};
  bool more = false;
  int rval = 0;
};

struct OpState {
  ~OpState() {
    if (completion) completion->release();
  }
  librados::ObjectWriteOperation wop;
  librados::ObjectReadOperation rop;
  int flags = 0;                 // librados::OPERATION_* for the whole op
  std::vector<StepOut> outs;     // one per step; sized before building
  std::vector<librados::bufferlist> inputs;  // payloads referenced by the op
  struct timespec mtime = {};    // SetMtime
  librados::bufferlist read_bl;  // operate()'s read buffer (unused by our steps)

  librados::AioCompletion* completion = nullptr;
  std::mutex mu;
  std::condition_variable cv;
  bool done = false;
  std::function<void()> on_done;  // a parked fiber's resume, run once by the completion
};

// Fill st->wop/st->flags from the steps. Invalid for read-only step types.
Status BuildWrite(const WriteOp& op, OpState* st);
// Fill st->rop from the steps. Invalid for step types that write.
Status BuildRead(const ReadOp& op, OpState* st);

// After the op completed with `r` (the whole op's result) and object version
// `version`: set per-step out_status, and on success copy results into the
// steps' output pointers. Returns FromRados(r, what).
Status FinishOp(const std::vector<OpStep>& steps, OpState& st, int r, uint64_t version,
                const std::string& what);

}  // namespace kelp::store::rados
