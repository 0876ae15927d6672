// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "tokenbucket.h"

#include <algorithm>

#include <QDateTime>

#include "core/provider/providerclock.h"

namespace brieflow::replicate {

namespace {
constexpr qint64 kNsPerMs = 1'000'000;
constexpr qint64 kMinuteNs = 60'000 * kNsPerMs;
} // namespace

TokenBucket::Rate TokenBucket::Rate::perMinute(int count, int burst)
{
    count = std::max(1, count);
    burst = std::clamp(burst, 1, count);
    const qint64 refills = count - burst + 1;
    return Rate{burst, std::chrono::nanoseconds((kMinuteNs + refills - 1) / refills)};
}

TokenBucket::Rate TokenBucket::sanitized(Rate rate)
{
    rate.capacity = std::max(1, rate.capacity);
    rate.refillInterval = std::max(rate.refillInterval, std::chrono::nanoseconds(1));
    return rate;
}

TokenBucket::TokenBucket(Rate rate, ProviderClock *clock)
    : m_clock(clock)
    , m_rate(sanitized(rate))
    , m_tokens(m_rate.capacity)
{
    m_anchorNs = nowNs();
}

qint64 TokenBucket::nowNs() const
{
    const qint64 now = m_clock->nowUtc().toMSecsSinceEpoch() * kNsPerMs;
    m_latestNs = std::max(m_latestNs, now);
    return m_latestNs;
}

void TokenBucket::refilled(qint64 now, int &tokens, qint64 &anchor) const
{
    tokens = m_tokens;
    anchor = m_anchorNs;
    if (tokens >= m_rate.capacity) {
        anchor = now; // full: time passing earns nothing
        return;
    }
    const qint64 interval = m_rate.refillInterval.count();
    const qint64 earned = (now - anchor) / interval;
    if (earned >= m_rate.capacity - tokens) {
        tokens = m_rate.capacity;
        anchor = now;
    } else {
        tokens += static_cast<int>(earned);
        anchor += earned * interval; // keep the part of an interval already served
    }
}

void TokenBucket::refill()
{
    refilled(nowNs(), m_tokens, m_anchorNs);
}

bool TokenBucket::tryTake()
{
    refill();
    if (m_tokens <= 0)
        return false;
    --m_tokens; // a full bucket's anchor is "now": the refill clock starts with this take
    return true;
}

std::chrono::milliseconds TokenBucket::delayUntilAvailable() const
{
    const qint64 now = nowNs();
    int tokens = 0;
    qint64 anchor = 0;
    refilled(now, tokens, anchor);
    if (tokens > 0)
        return std::chrono::milliseconds(0);
    const qint64 waitNs = anchor + m_rate.refillInterval.count() - now;
    return std::chrono::milliseconds((waitNs + kNsPerMs - 1) / kNsPerMs);
}

int TokenBucket::available() const
{
    int tokens = 0;
    qint64 anchor = 0;
    refilled(nowNs(), tokens, anchor);
    return tokens;
}

void TokenBucket::setRate(Rate rate)
{
    refill();
    m_rate = sanitized(rate);
    m_tokens = std::min(m_tokens, m_rate.capacity);
    m_anchorNs = nowNs();
}

} // namespace brieflow::replicate
