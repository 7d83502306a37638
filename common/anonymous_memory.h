#pragma once
// AnonymousMemory: zero-filled memory reserved from the kernel (anonymous mmap) and given
// pages on first write, with transparent huge pages asked for (a hint: one TLB entry then
// covers 2 MB). For tables sized by a configured limit that should take resident memory
// only as they fill (the client log, the held timestamp pairs).
//
// Thread-compatible. Move-only; the memory is returned to the kernel on destruction.

#include <cstddef>

namespace strata::common {

class AnonymousMemory {
 public:
  AnonymousMemory() = default;
  // Reserves `bytes` (none for 0). Throws std::bad_alloc when the kernel refuses.
  explicit AnonymousMemory(size_t bytes);
  ~AnonymousMemory();
  AnonymousMemory(AnonymousMemory&& other) noexcept;
  AnonymousMemory& operator=(AnonymousMemory&& other) noexcept;
  AnonymousMemory(const AnonymousMemory&) = delete;
  AnonymousMemory& operator=(const AnonymousMemory&) = delete;

  // The memory as an array of T (T must be valid when all bytes are zero).
  template <class T>
  T* as() const {
    return static_cast<T*>(data_);
  }
  size_t bytes() const { return bytes_; }

 private:
  void* data_ = nullptr;
  size_t bytes_ = 0;
};

}  // namespace strata::common
