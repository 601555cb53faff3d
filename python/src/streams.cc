// kelp._kelp.Upload / Download: libkelp's streaming ObjectUpload and
// ObjectDownload. Data moves with the GIL released; a Python caller (kelp's
// pure-Python layer) feeds or drains them chunk by chunk, so memory stays
// bounded by the chunk size whatever the object size.
#include <cstring>

#include "core.h"

namespace kelp::py {
namespace {

class Upload final : public Stream {
 public:
  Upload(std::shared_ptr<Core> core, std::unique_ptr<api::ObjectUpload> up)
      : core_(std::move(core)), up_(std::move(up)) {
    core_->Register(this);
  }
  ~Upload() override {
    {
      pyb::gil_scoped_release release;
      core_->Locked([&] { up_.reset(); });  // aborts an unfinished upload
    }
    core_->Unregister(this);
  }
  void Drop() override { up_.reset(); }

  size_t Write(const pyb::handle& data) {
    BufferView buf(data);
    pyb::gil_scoped_release release;
    core_->Locked([&] {
      std::lock_guard one(op_mu_);
      Live();
      Check(up_->Write(std::string_view(buf.data(), buf.size())));
    });
    return buf.size();
  }
  pyb::tuple Complete() {
    api::PutObjectResult res;
    {
      pyb::gil_scoped_release release;
      core_->Locked([&] {
        std::lock_guard one(op_mu_);
        Live();
        auto r = up_->Complete();
        up_.reset();
        res = Unwrap(std::move(r));
      });
    }
    return pyb::make_tuple(res.etag, res.version_id);
  }
  void Abort() {
    pyb::gil_scoped_release release;
    core_->Locked([&] {
      std::lock_guard one(op_mu_);
      up_.reset();
    });
  }

 private:
  void Live() {
    if (!up_) throw pyb::value_error("upload already completed, aborted or its store closed");
  }
  std::shared_ptr<Core> core_;
  std::mutex op_mu_;  // libkelp streams serve one thread at a time
  std::unique_ptr<api::ObjectUpload> up_;
};

class Download final : public Stream {
 public:
  Download(std::shared_ptr<Core> core, std::unique_ptr<api::ObjectDownload> dl)
      : core_(std::move(core)), dl_(std::move(dl)) {
    info_ = ObjectInfoToDict(dl_->info());
    length_ = dl_->content_length();
    partial_ = dl_->partial();
    first_ = dl_->range_first();
    last_ = dl_->range_last();
    core_->Register(this);
  }
  ~Download() override {
    {
      pyb::gil_scoped_release release;
      core_->Locked([&] { dl_.reset(); });
    }
    core_->Unregister(this);
  }
  void Drop() override { dl_.reset(); }

  // Up to `size` bytes (all of the next chunk for size < 0); b"" at the end.
  pyb::bytes Read(int64_t size) {
    std::string out;
    {
      pyb::gil_scoped_release release;
      core_->Locked([&] {
        std::lock_guard one(op_mu_);
        Fill();
        size_t avail = pending_.size() - pos_;
        size_t n = size < 0 ? avail : std::min<size_t>(avail, static_cast<size_t>(size));
        if (pos_ == 0 && n == pending_.size()) {
          out.swap(pending_);  // the whole chunk: hand it over without a copy
          pos_ = 0;
        } else {
          out.assign(pending_, pos_, n);
          pos_ += n;
        }
      });
    }
    return pyb::bytes(out.data(), out.size());
  }
  // Fills `buffer` as far as the object goes; returns the bytes written.
  size_t ReadInto(const pyb::handle& buffer) {
    BufferView buf(buffer, /*writable=*/true);
    pyb::gil_scoped_release release;
    size_t done = 0;
    core_->Locked([&] {
      std::lock_guard one(op_mu_);
      while (done < buf.size()) {
        Fill();
        size_t n = std::min(buf.size() - done, pending_.size() - pos_);
        if (n == 0) break;
        std::memcpy(buf.data() + done, pending_.data() + pos_, n);
        pos_ += n;
        done += n;
      }
    });
    return done;
  }
  void Close() {
    pyb::gil_scoped_release release;
    core_->Locked([&] {
      std::lock_guard one(op_mu_);
      dl_.reset();
      eof_ = true;
    });
  }

  const pyb::dict& info() const { return info_; }
  uint64_t length() const { return length_; }
  bool partial() const { return partial_; }
  uint64_t first() const { return first_; }
  uint64_t last() const { return last_; }

 private:
  // Makes pending_ hold unread bytes unless at the end. Lock held, no GIL.
  void Fill() {
    if (pos_ < pending_.size() || eof_) return;
    if (!dl_) throw pyb::value_error("read from a closed object stream");
    pending_ = Unwrap(dl_->Read());
    pos_ = 0;
    if (pending_.empty()) eof_ = true;
  }
  std::shared_ptr<Core> core_;
  std::mutex op_mu_;  // libkelp streams serve one thread at a time
  std::unique_ptr<api::ObjectDownload> dl_;
  pyb::dict info_;
  uint64_t length_ = 0, first_ = 0, last_ = 0;
  bool partial_ = false;
  bool eof_ = false;
  std::string pending_;
  size_t pos_ = 0;
};

}  // namespace

pyb::object MakeUpload(std::shared_ptr<Core> core, std::unique_ptr<api::ObjectUpload> up) {
  return pyb::cast(std::make_unique<Upload>(std::move(core), std::move(up)));
}

pyb::object MakeDownload(std::shared_ptr<Core> core, std::unique_ptr<api::ObjectDownload> dl) {
  return pyb::cast(std::make_unique<Download>(std::move(core), std::move(dl)));
}

void BindStreams(pyb::module_& m) {
  pyb::class_<Upload>(m, "Upload",
                      "A streaming object (or part) upload; nothing is visible before complete().")
      .def("write", &Upload::Write, pyb::arg("data"),
           "Appends the bytes of a buffer (bytes, bytearray, memoryview); returns their count.")
      .def("complete", &Upload::Complete,
           "Verifies and commits the object; returns (etag, version_id).")
      .def("abort", &Upload::Abort, "Discards everything written so far.");
  pyb::class_<Download>(m, "Download", "A streaming read of an object or a range of it.")
      .def("read", &Download::Read, pyb::arg("size") = -1,
           "Up to `size` bytes (the rest of the current chunk for -1); b'' at the end.")
      .def("readinto", &Download::ReadInto, pyb::arg("buffer"),
           "Fills a writable buffer as far as the data goes; returns the byte count.")
      .def("close", &Download::Close, "Ends the read early.")
      .def_property_readonly("info", &Download::info, "The object's metadata as a dict.")
      .def_property_readonly("content_length", &Download::length,
                             "Bytes this read returns (range length or object size).")
      .def_property_readonly("partial", &Download::partial, "True when a range applied.")
      .def_property_readonly("range_first", &Download::first, "First byte offset of the range.")
      .def_property_readonly("range_last", &Download::last, "Last byte offset of the range.");
}

}  // namespace kelp::py
