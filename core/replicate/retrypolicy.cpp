// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "retrypolicy.h"

#include <algorithm>

#include <QRandomGenerator>

namespace brieflow::replicate {

using std::chrono::milliseconds;

RetryPolicy::RetryPolicy()
    : RetryPolicy(Options{})
{}

RetryPolicy::RetryPolicy(Options options, RandomSource random)
    : m_options(options)
    , m_random(std::move(random))
{
    if (!m_random)
        m_random = [] { return QRandomGenerator::global()->generateDouble(); };
}

RetryPolicy RetryPolicy::noRetries()
{
    Options options;
    options.maxAttempts = 1;
    return RetryPolicy(options);
}

milliseconds RetryPolicy::backoff(int attempt) const
{
    const qint64 cap = std::max<qint64>(0, m_options.maxDelay.count());
    qint64 delay = std::max<qint64>(0, m_options.baseDelay.count());
    for (int i = 1; i < attempt && delay < cap; ++i)
        delay *= 2;
    delay = std::min(delay, cap);
    // Equal jitter: half fixed, half random, so retries spread out but never shrink to zero.
    const double r = std::clamp(m_random(), 0.0, 1.0);
    const qint64 half = delay / 2;
    return milliseconds(delay - half + static_cast<qint64>(static_cast<double>(half) * r));
}

RetryDecision RetryPolicy::decide(RequestKind kind, const ProviderError &error, int attempt,
                                  int rateLimited) const
{
    using K = ProviderError::Kind;
    const bool throttled = error.kind == K::RateLimited;
    // 429s and real failures have budgets of their own (see the class comment).
    const int failures = std::max(0, attempt - rateLimited);
    if (throttled ? rateLimited >= m_options.maxRateLimitedAttempts
                  : failures >= m_options.maxAttempts)
        return RetryDecision::giveUp();

    bool retryable = false;
    switch (error.kind) {
    case K::RateLimited: // a 429 is a definite "not done": safe for creates too
        retryable = true;
        break;
    case K::Network:
        retryable = kind == RequestKind::Read || !error.mayHaveReachedServer;
        break;
    case K::ServerError:
    case K::Timeout:
        retryable = kind == RequestKind::Read;
        break;
    case K::Unauthenticated:
    case K::InsufficientCredit:
    case K::NotFound:
    case K::InvalidInput:
    case K::MalformedResponse:
    case K::OutcomeUnknown:
    case K::Canceled:
    case K::HttpError:
    case K::InvalidRequest:
        break;
    }
    if (!retryable)
        return RetryDecision::giveUp();

    // The backoff grows with the attempts of the same kind, so a 429 storm doesn't push a later
    // real failure's wait to the cap (and vice versa).
    milliseconds delay = backoff(std::max(1, throttled ? rateLimited : failures));
    if (error.retryAfter) {
        if (*error.retryAfter > m_options.maxServerDelay)
            return RetryDecision::giveUp();
        delay = std::max(delay, *error.retryAfter);
    }
    return RetryDecision::after(delay);
}

} // namespace brieflow::replicate
