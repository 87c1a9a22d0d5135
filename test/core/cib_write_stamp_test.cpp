#include <doctest/doctest.h>

#include <cstdlib>
#include <ctime>

#include "core/cib_document.h"
#include "core/cib_write_stamp.h"
#include "core/nvset_edit.h"

using namespace hactl::core;

namespace {
// Pacemaker's timestamps are local time: the tests pin the zone.
struct UtcZone {
  UtcZone() {
    ::setenv("TZ", "UTC", 1);
    ::tzset();
  }
};
}  // namespace

TEST_CASE("cib-last-written has Pacemaker's ctime form, a day of one digit padded with a space") {
  UtcZone utc;
  CHECK(cib_time_text(1796182039) == "Wed Dec  2 03:27:19 2026");
  CHECK(cib_time_text(1797391639) == "Wed Dec 16 03:27:19 2026");
}

TEST_CASE("a stamped write names its time, origin, client and user; empty fields keep what was there") {
  UtcZone utc;
  auto doc = CibDocument::empty();
  stamp_cib_write(doc, {"n1", "cibadmin", "root"}, 1796182039);
  CHECK(attr(doc.root(), "cib-last-written") == "Wed Dec  2 03:27:19 2026");
  CHECK(attr(doc.root(), "update-origin") == "n1");
  CHECK(attr(doc.root(), "update-client") == "cibadmin");
  CHECK(attr(doc.root(), "update-user") == "root");
  stamp_cib_write(doc, {"", "hactl", ""}, 1796182040);
  CHECK(attr(doc.root(), "cib-last-written") == "Wed Dec  2 03:27:20 2026");
  CHECK(attr(doc.root(), "update-origin") == "n1");
  CHECK(attr(doc.root(), "update-client") == "hactl");
}

TEST_CASE("the DC's version goes into cib-bootstrap-options once") {
  auto doc = CibDocument::empty();
  CHECK(set_dc_version(doc, "0.1.0-hactl"));
  CHECK(get_nvpair(doc.section("crm_config"), "cluster_property_set", "dc-version") == "0.1.0-hactl");
  CHECK_FALSE(set_dc_version(doc, "0.1.0-hactl"));
  CHECK(set_dc_version(doc, "0.2.0-hactl"));
  CHECK(children(doc.section("crm_config"), "cluster_property_set").size() == 1);
}
