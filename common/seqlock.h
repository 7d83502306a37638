#pragma once
// SeqLock<T>: one writer publishes a small trivially copyable value; any number of readers
// take consistent copies without locks and without ever blocking the writer. A reader retries
// only while a store is in progress (a few hundred nanoseconds at most).
//
// Thread-safety: store() from one thread at a time; load() from any thread.
// The value is kept in relaxed atomic words, so there is no data race in the C++ sense.

#include <array>
#include <atomic>
#include <cstdint>
#include <cstring>
#include <type_traits>

namespace strata::common {

template <class T>
class SeqLock {
  static_assert(std::is_trivially_copyable_v<T>);
  static constexpr size_t kWords = (sizeof(T) + 7) / 8;

 public:
  SeqLock() { store(T{}); }
  explicit SeqLock(const T& initial) { store(initial); }

  void store(const T& value) {
    std::array<uint64_t, kWords> words{};
    std::memcpy(words.data(), &value, sizeof(T));
    uint64_t seq = seq_.load(std::memory_order_relaxed);
    seq_.store(seq + 1, std::memory_order_relaxed);
    std::atomic_thread_fence(std::memory_order_release);
    for (size_t i = 0; i < kWords; ++i) words_[i].store(words[i], std::memory_order_relaxed);
    seq_.store(seq + 2, std::memory_order_release);
  }

  T load() const {
    std::array<uint64_t, kWords> words;
    for (;;) {
      uint64_t before = seq_.load(std::memory_order_acquire);
      if (before & 1) continue;
      for (size_t i = 0; i < kWords; ++i) words[i] = words_[i].load(std::memory_order_relaxed);
      std::atomic_thread_fence(std::memory_order_acquire);
      if (seq_.load(std::memory_order_relaxed) == before) break;
    }
    T value;
    std::memcpy(static_cast<void*>(&value), words.data(), sizeof(T));
    return value;
  }

  // Number of completed stores (for tests and change detection).
  uint64_t version() const { return seq_.load(std::memory_order_acquire) / 2; }

 private:
  alignas(64) std::atomic<uint64_t> seq_{0};
  std::array<std::atomic<uint64_t>, kWords> words_{};
};

}  // namespace strata::common
