#include "store/embedded/data_files.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace kelp::store::embedded {

namespace {

Status OsError(const std::string& what, int err) {
  if (err == ENOSPC) return Status(Code::kNoSpace, what + ": " + std::strerror(err));
  return Status::IOError(what + ": " + std::strerror(err));
}

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

}  // namespace

std::string DataFiles::PathOf(uint64_t id) const {
  char name[32];
  std::snprintf(name, sizeof(name), "%016llx", static_cast<unsigned long long>(id));
  return dir_ + "/" + name;
}

Status DataFiles::Init() {
  if (::mkdir(dir_.c_str(), 0755) != 0 && errno != EEXIST) {
    return OsError("creating " + dir_, errno);
  }
  return Status::OK();
}

Status DataFiles::Write(uint64_t id, std::string_view data) {
  std::string path = PathOf(id);
  Fd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644));
  if (fd.get() < 0) return OsError("creating " + path, errno);
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::write(fd.get(), data.data() + done, data.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      int err = errno;
      ::unlink(path.c_str());
      return OsError("writing " + path, err);
    }
    done += static_cast<size_t>(n);
  }
  if (sync_) {
    if (::fdatasync(fd.get()) != 0) {
      int err = errno;
      ::unlink(path.c_str());
      return OsError("syncing " + path, err);
    }
    // The new directory entry must be durable too, or a power loss could
    // leave RocksDB referencing a file that vanished.
    Fd dfd(::open(dir_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (dfd.get() < 0 || ::fsync(dfd.get()) != 0) return OsError("syncing " + dir_, errno);
  }
  return Status::OK();
}

Result<std::string> DataFiles::Read(uint64_t id, uint64_t off, uint64_t len) {
  std::string path = PathOf(id);
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) return OsError("opening " + path, errno);
  if (len == 0) {
    struct stat st;
    if (::fstat(fd.get(), &st) != 0) return OsError("stat " + path, errno);
    uint64_t size = static_cast<uint64_t>(st.st_size);
    len = off < size ? size - off : 0;
  }
  std::string out(len, '\0');
  size_t done = 0;
  while (done < len) {
    ssize_t n = ::pread(fd.get(), out.data() + done, len - done, static_cast<off_t>(off + done));
    if (n < 0) {
      if (errno == EINTR) continue;
      return OsError("reading " + path, errno);
    }
    if (n == 0) break;
    done += static_cast<size_t>(n);
  }
  out.resize(done);
  return out;
}

void DataFiles::Unlink(uint64_t id) { ::unlink(PathOf(id).c_str()); }

Result<std::vector<uint64_t>> DataFiles::List() {
  DIR* d = ::opendir(dir_.c_str());
  if (!d) return OsError("listing " + dir_, errno);
  std::vector<uint64_t> ids;
  while (struct dirent* e = ::readdir(d)) {
    std::string_view name = e->d_name;
    if (name.size() != 16) continue;
    uint64_t id = 0;
    bool ok = true;
    for (char c : name) {
      int v = (c >= '0' && c <= '9') ? c - '0' : (c >= 'a' && c <= 'f') ? c - 'a' + 10 : -1;
      if (v < 0) {
        ok = false;
        break;
      }
      id = (id << 4) | static_cast<uint64_t>(v);
    }
    if (ok) ids.push_back(id);
  }
  ::closedir(d);
  return ids;
}

}  // namespace kelp::store::embedded
