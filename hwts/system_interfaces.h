#pragma once
// InterfaceLister over the C library's if_nameindex()/if_nametoindex() (the network
// namespace of the calling thread). Stateless; thread-safe.

#include "hwts/ts_info_source.h"

namespace strata::hwts {

class SystemInterfaceLister final : public InterfaceLister {
 public:
  common::Result<std::vector<InterfaceRef>> list() override;
  common::Result<InterfaceRef> find(std::string_view name) override;
};

}  // namespace strata::hwts
