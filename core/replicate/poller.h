// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <chrono>
#include <optional>

#include <QObject>
#include <QString>
#include <QTimer>

#include "core/replicate/pollscheduler.h"
#include "core/util/clock.h"

namespace brieflow {

/**
 * Drives a PollScheduler with one QTimer: on each wake-up it emits pollDue(id) for every
 * prediction that is due and fits the budget. The client layer answers each pollDue with a
 * GET and then calls markPolled() (or remove() once the prediction is final, or pauseFor()
 * on a 429). Time comes from the injected MonotonicClock, which must outlive the Poller.
 */
class Poller final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Poller)

public:
    using Duration = std::chrono::milliseconds;
    using TimePoint = MonotonicClock::TimePoint;

    explicit Poller(const MonotonicClock &clock, QObject *parent = nullptr);
    Poller(const MonotonicClock &clock, const PollPolicy &policy, QObject *parent = nullptr);

    const PollScheduler &scheduler() const { return m_scheduler; }
    void setPolicy(const PollPolicy &policy);
    void setBudget(double perSecond, int burst = PollScheduler::DefaultBurst);

    /** Starts polling a prediction created now (or at createdAt). */
    void add(const QString &id, std::optional<Duration> expected = {});
    void add(const QString &id, TimePoint createdAt, std::optional<Duration> expected);
    /** The prediction started processing now: its expected run time counts from here. */
    void setExpected(const QString &id, std::optional<Duration> expected);
    void remove(const QString &id);
    /** The answer to a pollDue() GET arrived (or failed). */
    void markPolled(const QString &id, bool statusChanged = false);
    /** A webhook reported on this prediction; polling becomes the safety net. */
    void noteExternalUpdate(const QString &id);
    /** Webhooks are expected: see PollScheduler::setExternalUpdatesExpected(). */
    void setExternalUpdatesExpected(bool expected);
    /** A 429: no poll for anyone before retryAfter has passed. */
    void pauseFor(Duration retryAfter);

    /** When the timer is set to fire, by the injected clock (nullopt: idle). */
    std::optional<TimePoint> armedFor() const { return m_armedFor; }

public Q_SLOTS:
    /** Emits pollDue() for everything due now and re-arms the timer. The timer calls it;
     *  tests driving a fake clock call it directly. */
    void processDue();

Q_SIGNALS:
    void pollDue(const QString &id);

private:
    void rearm();

    const MonotonicClock &m_clock;
    PollScheduler m_scheduler;
    QTimer m_timer;
    std::optional<TimePoint> m_armedFor;
    bool m_dispatching = false;
};

} // namespace brieflow
