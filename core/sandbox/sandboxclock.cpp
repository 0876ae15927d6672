// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "sandboxclock.h"

#include <algorithm>

namespace brieflow::sandbox {

namespace {
constexpr qint64 NsPerMs = 1000 * 1000;
}

SandboxClock::SandboxClock(const QDateTime &start, QObject *parent)
    : QObject(parent)
{
    const QDateTime origin = start.isValid() ? start : QDateTime::currentDateTimeUtc();
    m_startNs = origin.toMSecsSinceEpoch() * NsPerMs;
    m_elapsed.start();
    m_timer.setSingleShot(true);
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, &SandboxClock::runDue);
}

SandboxClock::~SandboxClock() = default;

qint64 SandboxClock::nowNs() const
{
    return m_startNs + m_elapsed.nsecsElapsed() + m_offsetNs;
}

QDateTime SandboxClock::now() const
{
    return QDateTime::fromMSecsSinceEpoch(nowNs() / NsPerMs, Qt::UTC);
}

void SandboxClock::advance(qint64 ms)
{
    if (ms <= 0)
        return;
    const qint64 target = m_offsetNs + ms * NsPerMs;
    // Step through what falls due on the way, so each callback runs with "now" at its own due
    // time: a prediction that finishes during a jump finishes when it would have, and its data
    // TTL counts from then, not from the end of the jump.
    const bool outer = !m_running;
    m_running = true;
    while (!m_queue.empty()) {
        const qint64 offsetAtDue =
            m_queue.begin()->first.first - m_startNs - m_elapsed.nsecsElapsed();
        if (offsetAtDue > target)
            break;
        m_offsetNs = std::max(m_offsetNs, offsetAtDue);
        runDue();
    }
    m_offsetNs = std::max(m_offsetNs, target);
    m_running = !outer;
    runDue();
}

SandboxClock::TimerId SandboxClock::callAt(qint64 dueNs, QObject *context,
                                           std::function<void()> callback)
{
    const TimerId id = m_nextId++;
    m_queue.emplace(Key{dueNs, id}, Entry{context, std::move(callback)});
    m_dueById.insert(id, dueNs);
    if (!m_running)
        arm();
    return id;
}

SandboxClock::TimerId SandboxClock::callAfter(qint64 delayMs, QObject *context,
                                              std::function<void()> callback)
{
    return callAt(nowNs() + std::max<qint64>(0, delayMs) * NsPerMs, context, std::move(callback));
}

void SandboxClock::cancel(TimerId id)
{
    const auto due = m_dueById.constFind(id);
    if (due == m_dueById.cend())
        return;
    m_queue.erase(Key{*due, id});
    m_dueById.erase(due);
}

void SandboxClock::runDue()
{
    // Callbacks may schedule or cancel others, so take one entry at a time.
    const bool outer = !m_running;
    m_running = true;
    while (!m_queue.empty() && m_queue.begin()->first.first <= nowNs()) {
        auto it = m_queue.begin();
        Entry entry = std::move(it->second);
        m_dueById.remove(it->first.second);
        m_queue.erase(it);
        if (entry.context)
            entry.callback();
    }
    if (outer) {
        m_running = false;
        arm();
    }
}

void SandboxClock::arm()
{
    if (m_queue.empty()) {
        m_timer.stop();
        return;
    }
    const qint64 waitNs = m_queue.begin()->first.first - nowNs();
    const qint64 waitMs = waitNs <= 0 ? 0 : (waitNs + NsPerMs - 1) / NsPerMs;
    m_timer.start(static_cast<int>(std::min<qint64>(waitMs, 24 * 3600 * 1000)));
}

} // namespace brieflow::sandbox
