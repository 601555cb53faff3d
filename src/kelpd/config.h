// kelpd's configuration: command-line flags (CLI11) over an optional config
// file of `key = value` lines (INI-like: '#'/';' comments, [sections]
// ignored, keys are the long flag names without dashes: `listen = :7480`).
// A flag given on the command line wins over the file.
//
//   auto cfg = ParseConfig(argc, argv);
//   if (!cfg.ok()) { std::cerr << "kelpd: " << cfg.status().message() << "\n"; return 1; }
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/status.h"

namespace kelp::kelpd {

struct Config {
  std::string data_dir = "./kelp-data";
  std::string ceph_conf;             // set: serve a Ceph cluster through librados, not data_dir
  std::string ceph_user = "admin";   // cephx client name without "client."
  std::string listen_host = "127.0.0.1";
  uint16_t listen_port = 7480;
  std::string config_file;
  std::vector<std::string> dns_suffixes;  // virtual-host style bucket.<suffix>
  std::string access_log;                 // "" = none, "-" = stdout
  unsigned threads = 0;                   // request worker threads, 0 = server default
  size_t max_header_bytes = 16 * 1024;
  unsigned idle_timeout_sec = 60;
  // Garbage collection of overwritten/deleted tails (radosgw's
  // rgw_gc_obj_min_wait / rgw_gc_processor_period); period 0 = no gc thread.
  uint32_t gc_min_wait_sec = 7200;
  uint32_t gc_period_sec = 3600;
  // The metadata cache (users, keys, buckets) coherent through notify.0..7;
  // --no-metadata-cache reads every request's metadata from the store.
  bool metadata_cache = true;
  bool help = false;  // --help was given; `help_text` holds the usage
  std::string help_text;
};

// Splits "HOST:PORT" ("[v6addr]:PORT"; ":PORT" means every interface,
// 0.0.0.0). Port 0 asks the OS for a free port. InvalidArgument on junk.
Status ParseListen(const std::string& spec, std::string* host, uint16_t* port);

// Parses argv (and the --config file it names). Errors are one sentence in
// Code::kInvalidArgument, suitable for "kelpd: <message>".
Result<Config> ParseConfig(int argc, const char* const* argv);

}  // namespace kelp::kelpd
