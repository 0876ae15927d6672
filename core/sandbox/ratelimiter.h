// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

#include "core/sandbox/sandboxconfig.h"

namespace brieflow::sandbox {

class SandboxClock;

/** Which token bucket a request draws from. */
enum class Bucket { Create, GetPrediction, Other };

/** "create", "get_prediction", "other" (the statistics' keys). */
QString bucketName(Bucket bucket);

/**
 * Replicate's rate limits as token buckets on the sandbox clock (so advancing the clock refills
 * them). With CreditState::Low, creates use the low-credit bucket (6 per minute, burst 1).
 */
class RateLimiter {
public:
    explicit RateLimiter(const SandboxClock *clock);

    void configure(const RateLimits &limits, CreditState credit);

    struct Decision {
        bool allowed = true;
        int remaining = 0;         ///< for the ratelimit-remaining header
        int retryAfterSeconds = 0; ///< when refused
        bool lowCredit = false;    ///< refused by the low-credit bucket
    };
    Decision take(Bucket bucket);

private:
    struct TokenBucket {
        RateLimit limit;
        double tokens = 0;
        qint64 updatedNs = 0;
    };
    void refill(TokenBucket &bucket) const;

    const SandboxClock *m_clock;
    bool m_enabled = true;
    bool m_lowCredit = false;
    TokenBucket m_create;
    TokenBucket m_lowCreditCreate;
    TokenBucket m_getPrediction;
    TokenBucket m_other;
};

} // namespace brieflow::sandbox
