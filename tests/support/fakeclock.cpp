// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "fakeclock.h"

#include <algorithm>

namespace brieflow::test {

FakeClock::FakeClock(QDateTime startUtc)
    : m_start(std::move(startUtc))
{}

QDateTime FakeClock::nowUtc() const
{
    return m_start.addMSecs(m_elapsed);
}

void FakeClock::schedule(std::chrono::milliseconds delay, QObject *context,
                         std::function<void()> action)
{
    m_history << delay;
    Entry entry;
    entry.due = m_elapsed + std::max<qint64>(0, delay.count());
    entry.sequence = m_sequence++;
    entry.context = context;
    entry.hasContext = context != nullptr;
    entry.action = std::move(action);
    m_pending.push_back(std::move(entry));
}

void FakeClock::runDue(qint64 until)
{
    for (;;) {
        // Earliest due first; ties in scheduling order. Actions may schedule more actions.
        const auto next = std::min_element(
            m_pending.begin(), m_pending.end(), [](const Entry &a, const Entry &b) {
                return a.due != b.due ? a.due < b.due : a.sequence < b.sequence;
            });
        if (next == m_pending.end() || next->due > until)
            break;
        Entry entry = std::move(*next);
        m_pending.erase(next);
        m_elapsed = std::max(m_elapsed, entry.due);
        if (!entry.hasContext || entry.context)
            entry.action();
    }
    m_elapsed = std::max(m_elapsed, until);
}

void FakeClock::advance(std::chrono::milliseconds delta)
{
    runDue(m_elapsed + std::max<qint64>(0, delta.count()));
}

bool FakeClock::runNext()
{
    const std::optional<std::chrono::milliseconds> delay = nextDelay();
    if (!delay)
        return false;
    advance(*delay);
    return true;
}

int FakeClock::pendingCount() const
{
    return static_cast<int>(std::count_if(m_pending.begin(), m_pending.end(), [](const Entry &e) {
        return !e.hasContext || e.context;
    }));
}

std::optional<std::chrono::milliseconds> FakeClock::nextDelay() const
{
    std::optional<qint64> earliest;
    for (const Entry &entry : m_pending) {
        if (entry.hasContext && !entry.context)
            continue;
        if (!earliest || entry.due < *earliest)
            earliest = entry.due;
    }
    if (!earliest)
        return std::nullopt;
    return std::chrono::milliseconds(std::max<qint64>(0, *earliest - m_elapsed));
}

} // namespace brieflow::test
