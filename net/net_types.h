// Basic vocabulary of the net module: node ids, time, byte buffers.
// Time is always an input here: nothing under net/ (except the asio adapters)
// reads a clock, so the same code runs on a simulated timeline.
#pragma once

#include <chrono>
#include <cstdint>
#include <span>
#include <vector>

namespace hactl::net {

// A node's id from cluster.conf (1..N). 0 is never a valid node.
using NodeId = std::uint32_t;
inline constexpr NodeId kNoNode = 0;

using Clock = std::chrono::steady_clock;
using TimePoint = Clock::time_point;
using Millis = std::chrono::milliseconds;

using Bytes = std::vector<std::uint8_t>;
using ByteView = std::span<const std::uint8_t>;

}  // namespace hactl::net
