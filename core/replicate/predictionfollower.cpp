// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "predictionfollower.h"

#include <QTimer>

namespace brieflow {

int predictionStatusRank(PredictionStatus status)
{
    switch (status) {
    case PredictionStatus::Starting:
        return 0;
    case PredictionStatus::Processing:
        return 1;
    case PredictionStatus::Succeeded:
    case PredictionStatus::Failed:
    case PredictionStatus::Canceled:
    case PredictionStatus::Aborted:
        return 2;
    }
    return 0;
}

PredictionFollower::PredictionFollower(ModelProvider &provider, const MonotonicClock &clock,
                                       QObject *parent)
    : QObject(parent)
    , m_provider(provider)
    , m_clock(clock)
    , m_poller(clock)
{
    connect(&m_poller, &Poller::pollDue, this, &PredictionFollower::read);
}

PredictionFollower::~PredictionFollower()
{
    for (const Entry &e : std::as_const(m_entries))
        e.read.abort();
}

void PredictionFollower::follow(const Prediction &known, std::optional<Duration> expected)
{
    Entry &entry = m_entries[known.id];
    entry.expected = expected;
    advance(entry, known);
    if (isTerminal(known.status)) {
        // Report from the event loop, as every other outcome is.
        const Prediction copy = known;
        QTimer::singleShot(0, this, [this, copy] {
            if (m_entries.contains(copy.id))
                finish(copy.id, copy);
        });
        return;
    }
    m_poller.add(known.id, expected);
    takeHeld(known.id);
}

void PredictionFollower::follow(const QString &id, std::optional<Duration> expected)
{
    Entry entry;
    entry.expected = expected;
    m_entries.insert(id, entry);
    // Created long ago, as far as the scheduler knows: due at once.
    m_poller.add(id, MonotonicClock::TimePoint{}, expected);
    QTimer::singleShot(0, &m_poller, &Poller::processDue);
    takeHeld(id);
}

void PredictionFollower::takeHeld(const QString &id)
{
    const auto held = m_held.find(id);
    if (held == m_held.end())
        return;
    const Prediction report = held->report;
    m_held.erase(held);
    // From the event loop: follow() callers don't expect signals from inside it.
    QTimer::singleShot(0, this, [this, report] {
        if (m_entries.contains(report.id))
            notify(report);
    });
}

void PredictionFollower::pruneHeld()
{
    const auto now = m_clock.now();
    for (auto it = m_held.begin(); it != m_held.end();) {
        if (now - it->at > kHeldFor)
            it = m_held.erase(it);
        else
            ++it;
    }
    if (m_held.size() < kMaxHeld)
        return;
    // Still full of fresh reports (a flood of foreign ids): forget the oldest one.
    auto oldest = m_held.begin();
    for (auto it = m_held.begin(); it != m_held.end(); ++it) {
        if (it->at < oldest->at)
            oldest = it;
    }
    m_held.erase(oldest);
}

void PredictionFollower::stop(const QString &id)
{
    const auto it = m_entries.find(id);
    if (it == m_entries.end())
        return;
    it->read.abort();
    m_entries.erase(it);
    m_poller.remove(id);
}

PredictionFollower::Notice PredictionFollower::notify(const Prediction &reported)
{
    const auto it = m_entries.find(reported.id);
    if (it == m_entries.end()) {
        if (m_finished.contains(reported.id))
            return Notice::Late;
        const auto held = m_held.find(reported.id);
        if (held != m_held.end()) {
            if (predictionStatusRank(reported.status) >= predictionStatusRank(held->report.status))
                *held = Held{reported, m_clock.now()};
            return Notice::Held;
        }
        pruneHeld();
        m_held.insert(reported.id, Held{reported, m_clock.now()});
        return Notice::Held;
    }
    if (isTerminal(reported.status)) {
        // Trust a final state only after reading it ourselves.
        it->confirmRequested = true;
        if (!it->reading)
            read(reported.id);
        return Notice::Taken;
    }
    if (advance(*it, reported))
        Q_EMIT updated(*it->last);
    m_poller.noteExternalUpdate(reported.id);
    return Notice::Taken;
}

void PredictionFollower::read(const QString &id)
{
    const auto it = m_entries.find(id);
    if (it == m_entries.end() || it->reading) {
        // A confirmation read already runs; let the scheduler know this slot is used.
        if (it != m_entries.end())
            m_poller.markPolled(id);
        return;
    }
    it->reading = true;
    ++m_readsSent;
    it->read = m_provider.getPrediction(
        id, this, [this, id](const ProviderResult<Prediction> &result) { onRead(id, result); });
}

void PredictionFollower::onRead(const QString &id, const ProviderResult<Prediction> &result)
{
    const auto it = m_entries.find(id);
    if (it == m_entries.end())
        return;
    it->reading = false;
    it->read = CallHandle();
    it->confirmRequested = false;

    if (!result) {
        const ProviderError &error = result.error();
        switch (error.kind) {
        case ProviderError::Kind::NotFound:
        case ProviderError::Kind::Unauthenticated:
        case ProviderError::Kind::InsufficientCredit:
            m_entries.erase(it);
            m_poller.remove(id);
            Q_EMIT lost(id, error);
            return;
        case ProviderError::Kind::RateLimited:
            if (error.retryAfter)
                m_poller.pauseFor(*error.retryAfter);
            break;
        default:
            break;
        }
        // Transient (the client already retried): the scheduler tries again later.
        m_poller.markPolled(id);
        return;
    }

    const Prediction &p = result.value();
    const int rankBefore = it->last ? predictionStatusRank(it->last->status) : -1;
    const bool changed = advance(*it, p);
    if (isTerminal(it->last->status)) {
        finish(id, *it->last);
        return;
    }
    const bool started = rankBefore == 0 && it->last->status == PredictionStatus::Processing;
    if (started) // its usual run time counts from now, not from creation
        m_poller.setExpected(id, it->expected);
    m_poller.markPolled(id, started);
    if (changed)
        Q_EMIT updated(*it->last);
}

bool PredictionFollower::advance(Entry &entry, const Prediction &p)
{
    if (!entry.last) {
        entry.last = p;
        return true;
    }
    const int had = predictionStatusRank(entry.last->status);
    const int got = predictionStatusRank(p.status);
    if (got < had || (had == 2 && got == 2))
        return false; // never backwards, and a final state is final
    const bool changed = got > had || p.outputText != entry.last->outputText
                         || p.outputFiles != entry.last->outputFiles
                         || p.logs.size() != entry.last->logs.size();
    if (changed)
        entry.last = p;
    return changed;
}

void PredictionFollower::finish(const QString &id, const Prediction &p)
{
    m_entries.remove(id);
    m_poller.remove(id);
    m_held.remove(id);
    if (!m_finished.contains(id)) {
        m_finished.insert(id);
        m_finishedOrder.append(id);
        if (m_finishedOrder.size() > kRememberFinished)
            m_finished.remove(m_finishedOrder.takeFirst());
    }
    Q_EMIT finished(p);
}

} // namespace brieflow
