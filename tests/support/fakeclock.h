// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <vector>

#include <QDateTime>
#include <QList>
#include <QPointer>

#include "core/provider/providerclock.h"

namespace brieflow::test {

/**
 * A ProviderClock that only moves when a test says so. schedule() records the action; advance()
 * moves time forward and runs what fell due, in due order, on the calling thread. Retry tests
 * assert on scheduledDelays() and never sleep.
 */
class FakeClock final : public ProviderClock {
public:
    explicit FakeClock(QDateTime startUtc = QDateTime(QDate(2026, 1, 1), QTime(0, 0), Qt::UTC));

    QDateTime nowUtc() const override;
    void schedule(std::chrono::milliseconds delay, QObject *context,
                  std::function<void()> action) override;

    /** Moves time forward by @p delta, running every action due by then. */
    void advance(std::chrono::milliseconds delta);
    /** Jumps to the earliest pending action and runs it (and any due at the same time). */
    bool runNext();
    /** Actions waiting whose context is still alive. */
    int pendingCount() const;
    /** Time until the earliest pending action. */
    std::optional<std::chrono::milliseconds> nextDelay() const;
    /** Every delay passed to schedule(), in call order. */
    QList<std::chrono::milliseconds> scheduledDelays() const { return m_history; }
    std::chrono::milliseconds elapsed() const { return std::chrono::milliseconds(m_elapsed); }

private:
    struct Entry {
        qint64 due = 0;
        quint64 sequence = 0;
        QPointer<QObject> context;
        bool hasContext = false;
        std::function<void()> action;
    };

    void runDue(qint64 until);

    QDateTime m_start;
    qint64 m_elapsed = 0;
    quint64 m_sequence = 0;
    std::vector<Entry> m_pending;
    QList<std::chrono::milliseconds> m_history;
};

} // namespace brieflow::test
