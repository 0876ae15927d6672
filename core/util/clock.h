// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <chrono>

namespace brieflow {

/**
 * A monotonic time source for code that schedules or measures intervals (the poller). Tests
 * substitute a fake and stay exact; production passes SteadyClock::instance(). Not owned: the
 * caller keeps the clock alive as long as its users. (Wall-clock time and delayed actions for
 * the provider code are ProviderClock's job, in core/provider/providerclock.h.)
 */
class MonotonicClock {
public:
    using TimePoint = std::chrono::steady_clock::time_point;

    MonotonicClock() = default;
    virtual ~MonotonicClock() = default;
    MonotonicClock(const MonotonicClock &) = delete;
    MonotonicClock &operator=(const MonotonicClock &) = delete;

    virtual TimePoint now() const = 0;
};

/** std::chrono::steady_clock. Stateless; share instance(). */
class SteadyClock final : public MonotonicClock {
public:
    TimePoint now() const override { return std::chrono::steady_clock::now(); }

    static const SteadyClock &instance()
    {
        static const SteadyClock clock;
        return clock;
    }
};

} // namespace brieflow
