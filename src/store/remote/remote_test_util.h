// Helpers shared by the remote store's tests: an embedded store served by a
// StoreServer, and a client connected to it.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "store/embedded/test_util.h"
#include "store/remote/remote_store.h"

namespace kelp::store::remote::testing {

struct ServedStore {
  embedded::testing::TempDir dir;
  std::string socket = dir.path() + "/store.sock";
  std::unique_ptr<ObjectStore> store = embedded::testing::MustOpen(dir.path());
  std::unique_ptr<StoreServer> server;

  ServedStore() {
    auto s = StoreServer::Start(socket, *store);
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    if (s.ok()) server = std::move(*s);
  }
  ~ServedStore() {
    server.reset();  // before the store it serves
  }

  std::unique_ptr<ObjectStore> Connect() {
    auto r = ConnectRemoteStore(socket);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? std::move(*r) : nullptr;
  }
};

}  // namespace kelp::store::remote::testing
