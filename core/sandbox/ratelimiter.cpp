// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "ratelimiter.h"

#include <algorithm>
#include <cmath>

#include "core/sandbox/sandboxclock.h"

namespace brieflow::sandbox {

QString bucketName(Bucket bucket)
{
    switch (bucket) {
    case Bucket::Create:
        return QStringLiteral("create");
    case Bucket::GetPrediction:
        return QStringLiteral("get_prediction");
    case Bucket::Other:
        break;
    }
    return QStringLiteral("other");
}

RateLimiter::RateLimiter(const SandboxClock *clock)
    : m_clock(clock)
{
    configure(RateLimits{}, CreditState::Ok);
}

void RateLimiter::configure(const RateLimits &limits, CreditState credit)
{
    const qint64 now = m_clock->nowNs();
    const auto reset = [now](TokenBucket &bucket, const RateLimit &limit) {
        if (bucket.limit == limit)
            return;
        bucket.limit = limit;
        bucket.tokens = limit.burst;
        bucket.updatedNs = now;
    };
    m_enabled = limits.enabled;
    m_lowCredit = credit == CreditState::Low;
    reset(m_create, limits.create);
    reset(m_getPrediction, limits.getPrediction);
    reset(m_other, limits.other);
    reset(m_lowCreditCreate, RateLimit{6, 1});
}

void RateLimiter::refill(TokenBucket &bucket) const
{
    const qint64 now = m_clock->nowNs();
    const double elapsed = double(std::max<qint64>(0, now - bucket.updatedNs)) / 1e9;
    bucket.tokens =
        std::min(bucket.limit.burst, bucket.tokens + elapsed * bucket.limit.perMinute / 60.0);
    bucket.updatedNs = now;
}

RateLimiter::Decision RateLimiter::take(Bucket which)
{
    TokenBucket &bucket = which == Bucket::Create ? (m_lowCredit ? m_lowCreditCreate : m_create)
                          : which == Bucket::GetPrediction ? m_getPrediction
                                                           : m_other;
    refill(bucket);
    Decision d;
    if (!m_enabled) {
        d.remaining = static_cast<int>(bucket.limit.burst) - 1;
        return d;
    }
    if (bucket.tokens >= 1.0) {
        bucket.tokens -= 1.0;
        d.remaining = static_cast<int>(std::floor(bucket.tokens));
        return d;
    }
    d.allowed = false;
    d.lowCredit = which == Bucket::Create && m_lowCredit;
    const double perSecond = bucket.limit.perMinute / 60.0;
    const double wait = perSecond > 0 ? (1.0 - bucket.tokens) / perSecond : 60.0;
    d.retryAfterSeconds = std::max(1, static_cast<int>(std::ceil(wait)));
    return d;
}

} // namespace brieflow::sandbox
