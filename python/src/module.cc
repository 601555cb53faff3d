// kelp._kelp: module init, error translation, the open store (Core/Store)
// and its user administration. Gateway operations: gateway.cc; object
// streams: streams.cc. The Pythonic surface is python/kelp/__init__.py.
#include <pybind11/stl.h>

#include <optional>

#include "core.h"
#include "base/s3_errors.h"
#include "rgw/services.h"
#include "rgw/types/user_info.h"

namespace kelp::py {

std::shared_ptr<Core> Core::Open(const api::StoreSpec& spec) {
  auto core = std::make_shared<Core>();
  core->store_ = Unwrap(api::OpenStore(spec));
  core->gw_ = Unwrap(api::Gateway::OpenUnowned(*core->store_));
  return core;
}

void Core::Close() {
  std::unique_lock lock(mu_);
  {
    std::lock_guard g(streams_mu_);
    for (Stream* s : streams_) s->Drop();
  }
  gw_.reset();
  store_.reset();
}

void Core::Register(Stream* s) {
  std::lock_guard g(streams_mu_);
  streams_.insert(s);
}

void Core::Unregister(Stream* s) {
  std::lock_guard g(streams_mu_);
  streams_.erase(s);
}

pyb::tuple StatusTuple(const Status& st) {
  const S3ErrorInfo& info = S3ErrorFor(st.code());
  return pyb::make_tuple(CodeName(st.code()), info.code, info.http_status,
                         st.message().empty() ? std::string(info.message) : st.message());
}

namespace {

struct StoreHandle {
  std::shared_ptr<Core> core;
};

std::string UserJson(const rgw::LoadedUser& u) { return rgw::ToJson(u.info).dump(); }

// Every name of a marker-paged listing (users, buckets), without the GIL.
// `page(gw, marker, &truncated)` returns the names after `marker`.
template <typename PageFn>
std::vector<std::string> ListAll(StoreHandle& s, PageFn page) {
  std::vector<std::string> all;
  std::string marker;
  NoGil(*s.core, [&](api::Gateway& gw) {
    for (;;) {
      bool truncated = false;
      auto names = Unwrap(page(gw, marker, &truncated));
      if (names.empty()) break;
      marker = names.back();
      all.insert(all.end(), names.begin(), names.end());
      if (!truncated) break;
    }
    return 0;
  });
  return all;
}

void BindStore(pyb::module_& m) {
  pyb::class_<StoreHandle>(m, "Store", "An open Kelp store (native handle; use kelp.open()).")
      .def(pyb::init([](const std::string& data_dir, const std::string& ceph_conf,
                        const std::string& ceph_user) {
             api::StoreSpec spec;
             spec.data_dir = data_dir;
             spec.ceph_conf = ceph_conf;
             spec.ceph_user = ceph_user;
             pyb::gil_scoped_release release;
             return StoreHandle{Core::Open(spec)};
           }),
           pyb::arg("data_dir") = "", pyb::arg("ceph_conf") = "", pyb::arg("ceph_user") = "admin",
           "Opens the store (api::OpenStore): a data directory or a Ceph cluster.")
      .def(
          "close",
          [](StoreHandle& s) {
            pyb::gil_scoped_release release;
            s.core->Close();
          },
          "Waits for calls in flight, aborts open streams and closes the store.")
      .def_property_readonly(
          "closed", [](StoreHandle& s) { return s.core->closed(); }, "True after close().")
      .def(
          "gateway",
          [](StoreHandle& s, std::optional<std::string> uid) {
            GatewayHandle h{s.core, {}};
            if (!uid) {
              h.ctx.who = api::Identity::System();
            } else {
              h.ctx.who = Unwrap(NoGil(*s.core, [&](api::Gateway& gw) { return gw.ActAs(*uid); }));
            }
            return h;
          },
          pyb::arg("uid") = std::nullopt,
          "A Gateway acting as user `uid` (ACLs apply) or, for None, as the system.")
      .def(
          "create_user",
          [](StoreHandle& s, const std::string& uid, const std::string& display_name,
             const std::string& email, const std::string& access_key,
             const std::string& secret_key, bool generate_key, std::optional<int> max_buckets,
             bool system, bool admin, bool suspended) {
            rgw::UserSpec spec;
            spec.uid = rgw::User::FromString(uid);
            spec.display_name = display_name;
            spec.email = email;
            spec.access_key = access_key;
            spec.secret_key = secret_key;
            spec.gen_access_key = generate_key && access_key.empty();
            spec.gen_secret = generate_key && secret_key.empty();
            spec.max_buckets = max_buckets;
            spec.system = system;
            spec.admin = admin;
            spec.suspended = suspended;
            return UserJson(Unwrap(NoGil(
                *s.core, [&](api::Gateway& gw) { return gw.services().users().Create(spec); })));
          },
          pyb::arg("uid"), pyb::arg("display_name"), pyb::arg("email") = "",
          pyb::arg("access_key") = "", pyb::arg("secret_key") = "",
          pyb::arg("generate_key") = true, pyb::arg("max_buckets") = std::nullopt,
          pyb::arg("system") = false, pyb::arg("admin") = false, pyb::arg("suspended") = false,
          "Creates a user; returns its radosgw-admin JSON.")
      .def(
          "get_user",
          [](StoreHandle& s, const std::string& uid) {
            return UserJson(Unwrap(NoGil(*s.core, [&](api::Gateway& gw) {
              return gw.services().users().Get(rgw::User::FromString(uid));
            })));
          },
          pyb::arg("uid"), "The user's radosgw-admin JSON (NoSuchUser if absent).")
      .def(
          "remove_user",
          [](StoreHandle& s, const std::string& uid) {
            Check(NoGil(*s.core, [&](api::Gateway& gw) {
              return gw.services().users().Remove(rgw::User::FromString(uid));
            }));
          },
          pyb::arg("uid"), "Removes a user that owns no bucket.")
      .def(
          "set_user_suspended",
          [](StoreHandle& s, const std::string& uid, bool suspended) {
            Check(NoGil(*s.core, [&](api::Gateway& gw) {
              return gw.services().users().SetSuspended(rgw::User::FromString(uid), suspended);
            }));
          },
          pyb::arg("uid"), pyb::arg("suspended"), "Suspends or re-enables a user.")
      .def(
          "add_key",
          [](StoreHandle& s, const std::string& uid, const std::string& access_key,
             const std::string& secret_key) {
            return UserJson(Unwrap(NoGil(*s.core, [&](api::Gateway& gw) {
              return gw.services().users().AddKey(rgw::User::FromString(uid), access_key,
                                                  secret_key);
            })));
          },
          pyb::arg("uid"), pyb::arg("access_key"), pyb::arg("secret_key"),
          "Adds an S3 key; returns the user's JSON.")
      .def(
          "list_users",
          [](StoreHandle& s) {
            return ListAll(s, [](api::Gateway& gw, const std::string& marker, bool* truncated) {
              return gw.services().users().List(marker, 1000, truncated);
            });
          },
          "All user ids, in order.")
      .def(
          "list_buckets",
          [](StoreHandle& s) {
            std::vector<std::string> all =
                ListAll(s, [](api::Gateway& gw, const std::string& marker, bool* truncated) {
                  return gw.services().buckets().List(marker, 1000, truncated);
                });
            // "tenant/name" (metadata key form) -> "tenant:name" (what S3 calls take).
            for (auto& name : all) {
              if (auto slash = name.find('/'); slash != std::string::npos) name[slash] = ':';
            }
            return all;
          },
          "Every bucket of the store, in order ('tenant:name' for tenanted ones).");
}

}  // namespace
}  // namespace kelp::py

PYBIND11_MODULE(_kelp, m) {
  using namespace kelp::py;
  m.doc() = "Native core of the kelp package: libkelp (the Kelp S3 gateway) in-process.";
  pyb::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const StatusError& e) {
      pyb::object err = pyb::module_::import("kelp._errors").attr("_from_status")(
          StatusTuple(e.status));
      PyErr_SetObject(reinterpret_cast<PyObject*>(Py_TYPE(err.ptr())), err.ptr());
    }
  });
  m.def(
      "s3_error_table",
      [] {
        pyb::dict out;
        for (int c = 1; c <= static_cast<int>(kelp::Code::kLastCode); ++c) {
          const auto& info = kelp::S3ErrorFor(static_cast<kelp::Code>(c));
          out[kelp::CodeName(static_cast<kelp::Code>(c))] =
              pyb::make_tuple(info.code, info.http_status, info.message);
        }
        return out;
      },
      "{kelp code name: (S3 code, HTTP status, default message)}: libkelp's S3 error table.");
  BindStore(m);
  BindStreams(m);
  BindGateway(m);
}
