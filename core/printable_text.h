// Text from a CIB or an agent made safe for a terminal: control characters
// shown as visible escapes (\n, \t, \r, \x01, \x7f) and bytes that are not
// UTF-8 as \xNN, so an id with a newline cannot forge a line of `status` and
// an escape sequence cannot drive the terminal. Valid UTF-8 is kept as is.
// Every text printer passes the values it shows through this one function;
// JSON and XML output have their own escaping and do not use it.
#pragma once

#include <string>
#include <string_view>

namespace hactl::core {

std::string printable(std::string_view text);

}  // namespace hactl::core
