// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <chrono>
#include <functional>

#include "core/provider/providertypes.h"

namespace brieflow::replicate {

/** Reads may be repeated freely; a create must never be sent twice unless nothing happened. */
enum class RequestKind { Read, Create };

/** What to do after a failed attempt: retry after `delay`, or give up. */
struct RetryDecision {
    bool retry = false;
    std::chrono::milliseconds delay{0};

    static RetryDecision giveUp() { return {}; }
    static RetryDecision after(std::chrono::milliseconds delay) { return {true, delay}; }
    friend bool operator==(const RetryDecision &, const RetryDecision &) = default;
};

/**
 * The retry rules as a pure decision; the transport owns the timer. Reads retry on 429, 5xx,
 * network errors and timeouts. Creates retry only on 429 and on network failures that provably
 * sent nothing; everything else is final (and OutcomeUnknown when it may have reached the
 * server). Delays: baseDelay × 2^(attempt−1) capped at maxDelay, with "equal jitter" (a random
 * point in the upper half), and never shorter than the server's Retry-After. A Retry-After
 * longer than maxServerDelay gives up at once, so the caller can schedule the work itself.
 *
 * A 429 is the server saying "not now", not a failure: those attempts are counted apart, up to
 * maxRateLimitedAttempts (a 30 s lock-out after each would be ~50 minutes of waiting), so a 429
 * storm never uses up the attempts meant for real errors.
 */
class RetryPolicy {
public:
    struct Options {
        int maxAttempts = 6; ///< attempts in total, the first one included
        std::chrono::milliseconds baseDelay{250};
        std::chrono::milliseconds maxDelay{30'000};
        std::chrono::milliseconds maxServerDelay{120'000};
        int maxRateLimitedAttempts = 100; ///< 429 answers in a row before giving up
    };
    /** A random number in [0, 1). */
    using RandomSource = std::function<double()>;

    RetryPolicy();
    /** @p random defaults to QRandomGenerator::global(). */
    explicit RetryPolicy(Options options, RandomSource random = {});

    /**
     * The decision after @p attempt attempts (1 after the first) ended with @p error;
     * @p rateLimited of those attempts were answered 429 (this one included, if it was).
     */
    RetryDecision decide(RequestKind kind, const ProviderError &error, int attempt,
                         int rateLimited = 0) const;

    /** The jittered backoff alone for @p attempt, ignoring the error. */
    std::chrono::milliseconds backoff(int attempt) const;

    const Options &options() const { return m_options; }

    /** A policy that never retries: for tests and for callers that retry themselves. */
    static RetryPolicy noRetries();

private:
    Options m_options;
    RandomSource m_random;
};

} // namespace brieflow::replicate
