// Wire protocol of the remote store (store/remote/remote_store.h), shared by
// client and server. Integers little-endian, strings/containers as in
// base/encoding.h.
//
// Connection start, client -> server:  "KSTO" u16 version u8 channel
//                   server -> client:  "KSTO" u16 version u64 channel_id
// channel kRequests: then frames { u32 len, len bytes }, one request then its
// response at a time. channel kEvents: frames too; the server sends notify
// events { u64 watch_id, u64 notify_id, u64 notifier_id, u64 cookie, str
// payload } for the watches registered with that channel_id (watch_id is the
// client's own id of the watch), the client answers each with { u64 cookie,
// str reply }. Channel ids are random, so a client that missed a server
// restart cannot name another client's channel.
// A frame over kMaxFrame or a bad magic/version closes the connection.
//
// Request:  u8 Opcode, then its arguments. Response: u16 code, str message,
// then the results (for ops: the per-step results even on failure).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/encoding.h"
#include "base/status.h"
#include "store/object_store.h"

// In the types' namespace, for the container templates of base/encoding.h.
namespace kelp::store {
void Encode(Encoder& e, const ObjectId& id);
void Decode(Decoder& d, ObjectId& id);
void Encode(Encoder& e, const ListEntry& le);
void Decode(Decoder& d, ListEntry& le);
void Encode(Encoder& e, const NotifyReply& r);
void Decode(Decoder& d, NotifyReply& r);
}  // namespace kelp::store

namespace kelp::store::remote {

inline constexpr char kMagic[4] = {'K', 'S', 'T', 'O'};
inline constexpr uint16_t kVersion = 1;
inline constexpr uint32_t kMaxFrame = 64u << 20;

// Message start of the error a Watch naming an unknown event channel gets.
inline constexpr char kNoEventChannel[] = "no event channel";

enum class Channel : uint8_t { kRequests = 1, kEvents = 2 };

enum class Opcode : uint8_t {
  kCreatePool = 1,
  kPoolExists,
  kListPools,
  kWriteOp,             // ObjectId, steps -> version, step results
  kReadOp,              // ObjectId, steps -> step results
  kList,                // pool, ns, cursor, u64 max -> entries, next_cursor
  kWatch,               // ObjectId, u64 channel_id, u64 watch_id -> u64 handle
  kUnwatch,             // u64 handle, bool from_callback
  kNotify,              // ObjectId, payload, u64 timeout_ms -> replies
  kPoolId,              // pool -> i64
  kAllocateInstanceId,  // -> u64
};

// ---- socket I/O (blocking; EINTR retried; no SIGPIPE) ----
bool SendAll(int fd, const std::string& bytes);
bool RecvAll(int fd, void* p, size_t n);
// Sends { u32 len, body }.
bool SendFrame(int fd, const std::string& body);
// Reads one frame; false on EOF, error or a frame over kMaxFrame.
bool RecvFrame(int fd, std::string* body);
std::string HelloRequest(Channel channel);
std::string HelloReply(uint64_t channel_id);

// ---- values ----
void Encode(Encoder& e, const Status& st);
void Decode(Decoder& d, Status& st);

// ---- op steps ----
// A step's inputs plus which outputs the caller wants (out pointers set).
void EncodeSteps(Encoder& e, const std::vector<OpStep>& steps);

// The server's copy of one step's outputs.
struct StepOutputs {
  bool ran = false;
  Status status;
  ObjectStat stat;
  std::string data;
  std::map<std::string, std::string> map;
  bool more = false;
};

// Decodes steps into `steps` with their out pointers aimed at `outs` (sized
// to match) for the outputs the client wants.
void DecodeSteps(Decoder& d, std::vector<OpStep>* steps, std::vector<StepOutputs>* outs);

// Per-step results: for each step whether it ran, its status, and (when it
// succeeded) the outputs it was asked for.
void EncodeStepResults(Encoder& e, const std::vector<OpStep>& steps,
                       const std::vector<StepOutputs>& outs);
// Writes the results through the caller's step pointers.
void DecodeStepResults(Decoder& d, const std::vector<OpStep>& steps);

}  // namespace kelp::store::remote
