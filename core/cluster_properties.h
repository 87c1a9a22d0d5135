// The cluster options Pacemaker 2.1 knows (scheduler, controller, CIB manager),
// with their types and defaults, so `property set` can refuse unknown names and
// ill-typed values before anything is written.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace hactl::core {

enum class PropertyType { boolean, duration, integer, select, string, percentage };

struct PropertyInfo {
  std::string_view name;
  PropertyType type;
  std::string_view default_value;
  std::vector<std::string_view> allowed;  // for select
  std::string_view description;
  bool read_only = false;  // written by the cluster itself (dc-version...)
};

const std::vector<PropertyInfo>& cluster_properties();
const PropertyInfo* find_property(std::string_view name);

// Checks a value against the property's type: Status::invalid with the reason.
Status check_property_value(const PropertyInfo& p, std::string_view value);

std::string_view property_type_name(PropertyType t);

}  // namespace hactl::core
