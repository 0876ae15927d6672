// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/replicate/pollscheduler.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace brieflow {

namespace {

using Nanos = std::chrono::nanoseconds;
constexpr Nanos OneSecond = std::chrono::seconds(1);
// The stretch factor is recomputed at most this often (and on every add/remove).
constexpr Nanos LoadFactorRefresh = std::chrono::milliseconds(100);

double seconds(Nanos d)
{
    return std::chrono::duration<double>(d).count();
}

Nanos fromSeconds(double s)
{
    return Nanos(static_cast<Nanos::rep>(std::llround(s * 1e9)));
}

} // namespace

PollScheduler::PollScheduler()
    : PollScheduler(PollPolicy{})
{}

PollScheduler::PollScheduler(const PollPolicy &policy)
    : m_policy(policy)
{
    setBudget(DefaultPerSecond, DefaultBurst);
}

void PollScheduler::setPolicy(const PollPolicy &policy)
{
    m_policy = policy;
    m_loadFactorAt.reset();
}

void PollScheduler::setBudget(double perSecond, int burst)
{
    m_perSecond = std::max(perSecond, 0.01);
    m_burst = std::max(burst, 1);
    // Rounded up, so that the average rate never exceeds perSecond.
    m_emission = Nanos(static_cast<Nanos::rep>(std::ceil(1e9 / m_perSecond)));
    m_windowCap = std::max<qsizetype>(1, static_cast<qsizetype>(std::floor(m_perSecond)));
    m_loadFactorAt.reset();
}

void PollScheduler::add(const QString &id, TimePoint createdAt, std::optional<Duration> expected)
{
    Entry entry;
    const auto existing = m_entries.find(id);
    entry.seq = existing != m_entries.end() ? existing->second.seq : m_nextSeq++;
    entry.createdAt = createdAt;
    entry.anchor = createdAt;
    entry.expected = expected;
    if (m_externalExpected) {
        // Safety-net mode from the start: the webhook is expected to report progress.
        entry.lastExternal = createdAt;
        entry.due = createdAt + std::min(m_policy.webhookFirstPoll, m_policy.safetyNetInterval);
    } else {
        entry.due = createdAt + m_policy.firstPoll;
        if (const auto start = windowStart(entry))
            entry.due = std::max(createdAt + m_policy.minInterval, std::min(*start, entry.due));
    }
    m_entries[id] = entry;
    m_loadFactorAt.reset();
}

void PollScheduler::setExpected(const QString &id, TimePoint anchor,
                                std::optional<Duration> expected)
{
    const auto it = m_entries.find(id);
    if (it == m_entries.end())
        return;
    Entry &entry = it->second;
    entry.anchor = anchor;
    entry.expected = expected;
    if (!entry.sentAt && !entry.lastExternal) {
        if (const auto start = windowStart(entry))
            entry.due = std::min(entry.due, *start);
    }
    m_loadFactorAt.reset();
}

void PollScheduler::remove(const QString &id)
{
    m_entries.erase(id);
    m_loadFactorAt.reset();
}

std::optional<QString> PollScheduler::takeDue(TimePoint now)
{
    if (m_pausedUntil && now < *m_pausedUntil)
        return std::nullopt;
    if (budgetReadyAt(now) > now)
        return std::nullopt;

    // Earliest due first (the most overdue), older predictions first on a tie.
    auto best = m_entries.end();
    TimePoint bestDue;
    for (auto it = m_entries.begin(); it != m_entries.end(); ++it) {
        const TimePoint due = effectiveDue(it->second);
        if (due > now)
            continue;
        if (best == m_entries.end() || due < bestDue
            || (due == bestDue && it->second.seq < best->second.seq)) {
            best = it;
            bestDue = due;
        }
    }
    if (best == m_entries.end())
        return std::nullopt;

    m_tat = std::max(m_tat.value_or(now), now) + m_emission;
    pruneWindow(now);
    m_recent.push_back(now);
    best->second.sentAt = now;
    return best->first;
}

QStringList PollScheduler::takeAllDue(TimePoint now, qsizetype max)
{
    QStringList ids;
    while (max < 0 || ids.size() < max) {
        auto id = takeDue(now);
        if (!id)
            break;
        ids.append(std::move(*id));
    }
    return ids;
}

void PollScheduler::markPolled(const QString &id, TimePoint now, bool statusChanged)
{
    const auto it = m_entries.find(id);
    if (it == m_entries.end())
        return;
    Entry &entry = it->second;
    if (statusChanged && !entry.expected)
        entry.anchor = now;
    scheduleNext(entry, now);
}

void PollScheduler::noteExternalUpdate(const QString &id, TimePoint now)
{
    const auto it = m_entries.find(id);
    if (it == m_entries.end())
        return;
    Entry &entry = it->second;
    entry.lastExternal = now;
    if (!entry.sentAt)
        entry.due = std::max(entry.due, now + m_policy.safetyNetInterval);
    m_loadFactorAt.reset();
}

void PollScheduler::setPaused(TimePoint until)
{
    if (!m_pausedUntil || until > *m_pausedUntil)
        m_pausedUntil = until;
}

std::optional<PollScheduler::TimePoint> PollScheduler::nextWakeUp(TimePoint now) const
{
    if (m_entries.empty())
        return std::nullopt;
    TimePoint earliest = TimePoint::max();
    for (const auto &[id, entry] : m_entries)
        earliest = std::min(earliest, effectiveDue(entry));
    TimePoint at = std::max(earliest, now);
    if (m_pausedUntil)
        at = std::max(at, *m_pausedUntil);
    return budgetReadyAt(at);
}

std::optional<PollScheduler::TimePoint> PollScheduler::dueAt(const QString &id) const
{
    const auto it = m_entries.find(id);
    if (it == m_entries.end())
        return std::nullopt;
    return effectiveDue(it->second);
}

std::optional<PollScheduler::TimePoint> PollScheduler::windowStart(const Entry &entry) const
{
    if (!entry.expected)
        return std::nullopt;
    const Nanos expected = *entry.expected;
    const Nanos half =
        std::max<Nanos>(fromSeconds(m_policy.window * seconds(expected)), m_policy.minWindow);
    return entry.anchor + std::max(Nanos::zero(), expected - half);
}

PollScheduler::Nanos PollScheduler::wantedInterval(const Entry &entry, TimePoint now) const
{
    const PollPolicy &p = m_policy;
    if (entry.lastExternal)
        return p.safetyNetInterval;

    const double minI = seconds(p.minInterval);
    const double maxI = seconds(p.maxInterval);
    const double age = std::max(0.0, seconds(now - entry.anchor));
    double interval = 0;
    if (!entry.expected) {
        interval = p.backoff * age;
    } else {
        const double expected = seconds(*entry.expected);
        const double half = std::max(p.window * expected, seconds(p.minWindow));
        const double start = expected - half;
        const double end = expected + half;
        if (age < start)
            interval = std::min(minI + p.approach * (start - age), p.earlyBackoff * age);
        else if (age <= end)
            interval = minI;
        else
            interval = minI + p.backoff * (age - end);
    }
    return fromSeconds(std::clamp(interval, minI, maxI));
}

void PollScheduler::scheduleNext(Entry &entry, TimePoint now)
{
    updateLoadFactor(now);
    entry.sentAt.reset();
    const Nanos wanted = wantedInterval(entry, now);
    if (entry.lastExternal) {
        entry.due = now + wanted;
        return;
    }
    const Nanos stretched = std::clamp<Nanos>(fromSeconds(seconds(wanted) * m_loadFactor),
                                              m_policy.minInterval, m_policy.maxInterval);
    entry.due = now + stretched;
    // Never jump over the start of the finish window.
    if (const auto start = windowStart(entry); start && now < *start)
        entry.due = std::min(entry.due, *start);
}

void PollScheduler::updateLoadFactor(TimePoint now)
{
    if (m_loadFactorAt && now >= *m_loadFactorAt && now - *m_loadFactorAt < LoadFactorRefresh)
        return;
    m_loadFactorAt = now;

    const double minI = seconds(m_policy.minInterval);
    const double maxI = seconds(m_policy.maxInterval);
    double fixedDemand = 0; // safety-net polls are not stretched
    std::vector<double> wanted;
    wanted.reserve(m_entries.size());
    for (const auto &[id, entry] : m_entries) {
        const double interval = seconds(wantedInterval(entry, now));
        if (entry.lastExternal)
            fixedDemand += 1.0 / interval;
        else
            wanted.push_back(interval);
    }
    const double capacity = m_policy.targetUtilization * m_perSecond - fixedDemand;
    const auto demand = [&](double factor) {
        double sum = 0;
        for (const double interval : wanted)
            sum += 1.0 / std::clamp(interval * factor, minI, maxI);
        return sum;
    };

    const double maxFactor = maxI / minI;
    if (demand(1.0) <= capacity) {
        m_loadFactor = 1.0;
    } else if (demand(maxFactor) >= capacity) {
        m_loadFactor = maxFactor; // even everything at maxInterval is too much: EDF shares out
    } else {
        double lo = 1.0;
        double hi = maxFactor;
        for (int i = 0; i < 40; ++i) {
            const double mid = 0.5 * (lo + hi);
            (demand(mid) > capacity ? lo : hi) = mid;
        }
        m_loadFactor = hi;
    }
}

PollScheduler::TimePoint PollScheduler::effectiveDue(const Entry &entry) const
{
    return entry.sentAt ? *entry.sentAt + m_policy.inFlightTimeout : entry.due;
}

PollScheduler::TimePoint PollScheduler::budgetReadyAt(TimePoint now) const
{
    TimePoint ready = now;
    if (m_tat)
        ready = std::max(ready, *m_tat - (m_burst - 1) * m_emission);
    // The sliding one-second cap: sends in (ready - 1 s, ready] must stay below it.
    const auto firstInWindow =
        std::upper_bound(m_recent.begin(), m_recent.end(), ready - OneSecond);
    const auto inWindow = static_cast<qsizetype>(std::distance(firstInWindow, m_recent.end()));
    if (inWindow >= m_windowCap)
        ready = std::max(ready, *(firstInWindow + (inWindow - m_windowCap)) + OneSecond);
    return ready;
}

void PollScheduler::pruneWindow(TimePoint now)
{
    while (!m_recent.empty() && m_recent.front() <= now - OneSecond)
        m_recent.pop_front();
}

} // namespace brieflow
