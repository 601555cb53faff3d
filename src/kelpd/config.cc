#include "kelpd/config.h"

#include <CLI/CLI.hpp>
#include <fstream>
#include <sstream>

namespace kelp::kelpd {

Status ParseListen(const std::string& spec, std::string* host, uint16_t* port) {
  auto bad = [&] {
    return Status(Code::kInvalidArgument,
                  "--listen wants HOST:PORT (e.g. 127.0.0.1:7480), got '" + spec + "'");
  };
  std::string h, p;
  if (!spec.empty() && spec[0] == '[') {  // [v6]:port
    auto close = spec.find(']');
    if (close == std::string::npos || close + 1 >= spec.size() || spec[close + 1] != ':')
      return bad();
    h = spec.substr(1, close - 1);
    p = spec.substr(close + 2);
  } else {
    auto colon = spec.rfind(':');
    if (colon == std::string::npos) return bad();
    h = spec.substr(0, colon);
    p = spec.substr(colon + 1);
    if (h.find(':') != std::string::npos) return bad();  // bare v6 needs brackets
  }
  if (p.empty() || p.size() > 5 || p.find_first_not_of("0123456789") != std::string::npos)
    return bad();
  unsigned long v = std::stoul(p);
  if (v > 65535) return bad();
  *host = h.empty() ? "0.0.0.0" : h;
  *port = static_cast<uint16_t>(v);
  return Status::OK();
}

Result<Config> ParseConfig(int argc, const char* const* argv) {
  Config cfg;
  std::string listen = "127.0.0.1:7480";
  CLI::App app{"kelpd: S3-compatible gateway storing data in radosgw's layout", "kelpd"};
  app.option_defaults()->always_capture_default();
  app.add_option("--data", cfg.data_dir, "data directory (the embedded store)");
  app.add_option("--ceph-conf", cfg.ceph_conf,
                 "ceph.conf of a Ceph cluster to serve (radosgw's pools) instead of --data");
  app.add_option("--ceph-user", cfg.ceph_user, "cephx user for --ceph-conf, without \"client.\"");
  app.add_option("--listen", listen, "HOST:PORT to listen on (port 0 = any free port)");
  app.set_config("--config", "", "config file of `key = value` lines (flags override it)");
  app.config_formatter(std::make_shared<CLI::ConfigINI>());
  app.allow_config_extras(CLI::config_extras_mode::error);
  app.add_option("--dns-suffix", cfg.dns_suffixes,
                 "DNS name for virtual-host style requests (repeatable)")
      ->take_all()
      ->allow_extra_args(false);
  app.add_option("--access-log", cfg.access_log, "access log file, or - for stdout");
  app.add_option("--threads", cfg.threads,
                 "worker threads running requests (0 = the server default)")
      ->check(CLI::Range(0u, 1024u));
  app.add_option("--max-header-bytes", cfg.max_header_bytes, "largest request header section")
      ->check(CLI::Range(size_t{1024}, size_t{1} << 24));
  app.add_option("--idle-timeout", cfg.idle_timeout_sec,
                 "seconds an idle keep-alive connection stays open")
      ->check(CLI::Range(1u, 86400u));
  app.add_option("--gc-min-wait", cfg.gc_min_wait_sec,
                 "seconds overwritten/deleted tails wait before gc may release them "
                 "(rgw_gc_obj_min_wait)");
  app.add_option("--gc-period", cfg.gc_period_sec,
                 "seconds between gc passes (rgw_gc_processor_period; 0 = no gc thread)");
  bool no_metadata_cache = false;
  app.add_flag("--no-metadata-cache", no_metadata_cache,
               "do not cache users, keys and buckets (by default they are cached and kept "
               "coherent with radosgw through the control objects' notifies)");
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    cfg.help = true;
    cfg.help_text = app.help();
    return cfg;
  } catch (const CLI::ParseError& e) {
    std::string what = e.what();
    return Status(Code::kInvalidArgument, what);
  }
  if (auto* opt = app.get_config_ptr(); opt && opt->count() > 0) {
    cfg.config_file = opt->as<std::string>();
  }
  cfg.metadata_cache = !no_metadata_cache;
  if (cfg.data_dir.empty()) return Status(Code::kInvalidArgument, "--data must not be empty");
  RETURN_IF_ERROR(ParseListen(listen, &cfg.listen_host, &cfg.listen_port));
  return cfg;
}

}  // namespace kelp::kelpd
