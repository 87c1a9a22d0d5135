// ByteWriter / ByteReader: big-endian (network order) primitives for the wire
// codecs. The reader never reads past its span: every get returns false once
// the input is exhausted and the reader stays failed, so a decoder checks
// ok() once at the end instead of after every field.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "net/net_types.h"

namespace hactl::net {

class ByteWriter {
 public:
  explicit ByteWriter(Bytes& out) : out_(out) {}
  void u8(std::uint8_t v) { out_.push_back(v); }
  void u16(std::uint16_t v) { put(v, 2); }
  void u32(std::uint32_t v) { put(v, 4); }
  void u64(std::uint64_t v) { put(v, 8); }
  void i64(std::int64_t v) { put(static_cast<std::uint64_t>(v), 8); }
  void raw(ByteView b) { out_.insert(out_.end(), b.begin(), b.end()); }
  // u32 length + bytes.
  void blob(std::string_view s) {
    u32(static_cast<std::uint32_t>(s.size()));
    out_.insert(out_.end(), s.begin(), s.end());
  }

 private:
  void put(std::uint64_t v, int n) {
    for (int i = n - 1; i >= 0; --i) out_.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
  }
  Bytes& out_;
};

class ByteReader {
 public:
  explicit ByteReader(ByteView in) : in_(in) {}
  bool u8(std::uint8_t& v) { return get(v, 1); }
  bool u16(std::uint16_t& v) { return get(v, 2); }
  bool u32(std::uint32_t& v) { return get(v, 4); }
  bool u64(std::uint64_t& v) { return get(v, 8); }
  bool i64(std::int64_t& v) {
    std::uint64_t u = 0;
    if (!get(u, 8)) return false;
    v = static_cast<std::int64_t>(u);
    return true;
  }
  bool raw(std::uint8_t* dst, std::size_t n) {
    if (!take(n)) return false;
    std::memcpy(dst, in_.data() + pos_ - n, n);
    return true;
  }
  // u32 length + bytes, refused when longer than max_len or than the input.
  bool blob(std::string& s, std::size_t max_len) {
    std::uint32_t n = 0;
    if (!u32(n) || n > max_len || !take(n)) return fail();
    s.assign(reinterpret_cast<const char*>(in_.data()) + pos_ - n, n);
    return true;
  }
  ByteView rest() const { return in_.subspan(pos_); }
  std::size_t remaining() const { return in_.size() - pos_; }
  bool ok() const { return ok_; }
  bool at_end() const { return ok_ && pos_ == in_.size(); }

 private:
  template <typename T>
  bool get(T& v, std::size_t n) {
    if (!take(n)) return false;
    std::uint64_t acc = 0;
    for (std::size_t i = pos_ - n; i < pos_; ++i) acc = (acc << 8) | in_[i];
    v = static_cast<T>(acc);
    return true;
  }
  bool take(std::size_t n) {
    if (!ok_ || in_.size() - pos_ < n) return fail();
    pos_ += n;
    return true;
  }
  bool fail() {
    ok_ = false;
    return false;
  }
  ByteView in_;
  std::size_t pos_ = 0;
  bool ok_ = true;
};

}  // namespace hactl::net
