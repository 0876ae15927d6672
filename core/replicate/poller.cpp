// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/replicate/poller.h"

#include <algorithm>

namespace brieflow {

Poller::Poller(const MonotonicClock &clock, QObject *parent)
    : Poller(clock, PollPolicy{}, parent)
{}

Poller::Poller(const MonotonicClock &clock, const PollPolicy &policy, QObject *parent)
    : QObject(parent)
    , m_clock(clock)
    , m_scheduler(policy)
{
    m_timer.setSingleShot(true);
    // A coarse timer may be 5 % late: 12 ms on a 250 ms interval is lag we can avoid cheaply.
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, &Poller::processDue);
}

void Poller::setPolicy(const PollPolicy &policy)
{
    m_scheduler.setPolicy(policy);
    rearm();
}

void Poller::setBudget(double perSecond, int burst)
{
    m_scheduler.setBudget(perSecond, burst);
    rearm();
}

void Poller::add(const QString &id, std::optional<Duration> expected)
{
    add(id, m_clock.now(), expected);
}

void Poller::add(const QString &id, TimePoint createdAt, std::optional<Duration> expected)
{
    m_scheduler.add(id, createdAt, expected);
    rearm();
}

void Poller::setExpected(const QString &id, std::optional<Duration> expected)
{
    m_scheduler.setExpected(id, m_clock.now(), expected);
    rearm();
}

void Poller::remove(const QString &id)
{
    m_scheduler.remove(id);
    rearm();
}

void Poller::markPolled(const QString &id, bool statusChanged)
{
    m_scheduler.markPolled(id, m_clock.now(), statusChanged);
    rearm();
}

void Poller::noteExternalUpdate(const QString &id)
{
    m_scheduler.noteExternalUpdate(id, m_clock.now());
    rearm();
}

void Poller::setExternalUpdatesExpected(bool expected)
{
    m_scheduler.setExternalUpdatesExpected(expected);
}

void Poller::pauseFor(Duration retryAfter)
{
    m_scheduler.setPaused(m_clock.now() + retryAfter);
    rearm();
}

void Poller::processDue()
{
    if (m_dispatching)
        return;
    m_dispatching = true;
    // Receivers may call markPolled()/remove() from inside the emission; they re-arm later.
    while (const auto id = m_scheduler.takeDue(m_clock.now()))
        Q_EMIT pollDue(*id);
    m_dispatching = false;
    rearm();
}

void Poller::rearm()
{
    if (m_dispatching)
        return;
    const TimePoint now = m_clock.now();
    const auto wakeUp = m_scheduler.nextWakeUp(now);
    m_armedFor = wakeUp;
    if (!wakeUp) {
        m_timer.stop();
        return;
    }
    // Round up: waking a fraction of a millisecond early would only find nothing due yet.
    const auto delay = std::chrono::ceil<std::chrono::milliseconds>(*wakeUp - now);
    m_timer.start(std::max(delay, std::chrono::milliseconds::zero()));
}

} // namespace brieflow
