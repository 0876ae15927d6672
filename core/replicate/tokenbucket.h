// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <chrono>

#include <QtGlobal>

namespace brieflow {
class ProviderClock;
}

namespace brieflow::replicate {

/**
 * A client-side token bucket on an injected ProviderClock: pure logic, no timers. It holds at
 * most Rate::capacity tokens (the burst) and gains one every Rate::refillInterval. Time is kept
 * in whole nanoseconds and each refill is anchored to the previous one, not to "now", so however
 * often it is asked the long-run rate is exact (no drift) while it is in use. A full bucket
 * earns nothing: time spent full (idle, or a caller late to take) is not saved up. A clock that
 * steps backwards (the system clock is wall time) counts as no time passing.
 */
class TokenBucket {
public:
    struct Rate {
        int capacity = 1;                                     ///< burst: tokens when full, ≥ 1
        std::chrono::nanoseconds refillInterval{100'000'000}; ///< one token per interval, > 0

        /**
         * At most @p count takes in any 60 s window (any half-open minute), at most @p burst of
         * them at once: capacity @p burst, one token every 60 s / (count − burst + 1), rounded
         * up to the nanosecond. With burst 1 that is exactly 60 s / count (600/min → 100 ms,
         * 6/min → 10 s); a bigger burst slows the refill just enough to keep the per-minute cap.
         * @p burst is clamped to [1, count], @p count to ≥ 1.
         */
        static Rate perMinute(int count, int burst = 1);

        friend bool operator==(const Rate &, const Rate &) = default;
    };

    /** A full bucket. @p clock must outlive the bucket. */
    TokenBucket(Rate rate, ProviderClock *clock);

    /** Takes one token if there is one now; false (and nothing changes) otherwise. */
    bool tryTake();
    /** 0 when a token is available now, else the time until the next one (rounded up to ms). */
    std::chrono::milliseconds delayUntilAvailable() const;
    /** Whole tokens available now. */
    int available() const;

    /**
     * Switches to @p rate from now on (e.g. down to the low-credit limit and back): the time so
     * far is credited at the old rate, the tokens are capped at the new capacity and the next
     * token is a full new interval away.
     */
    void setRate(Rate rate);
    Rate rate() const { return m_rate; }

private:
    static Rate sanitized(Rate rate);
    qint64 nowNs() const;
    /** Tokens and refill anchor as they are at @p now, without storing them. */
    void refilled(qint64 now, int &tokens, qint64 &anchor) const;
    void refill();

    ProviderClock *m_clock;
    Rate m_rate;
    int m_tokens = 0;
    qint64 m_anchorNs = 0;         ///< when the last token was added (or the bucket was full)
    mutable qint64 m_latestNs = 0; ///< the latest time seen, so time never runs backwards
};

} // namespace brieflow::replicate
