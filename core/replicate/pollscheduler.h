// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <chrono>
#include <deque>
#include <map>
#include <optional>

#include <QString>
#include <QStringList>

namespace brieflow {

/** The knobs of PollScheduler's interval policy. The defaults follow
 *  docs/reliability-performance.md §5.5 and §7 B2. */
struct PollPolicy {
    using Duration = std::chrono::milliseconds;

    Duration minInterval{250};  ///< never poll one prediction more often
    Duration maxInterval{5000}; ///< never leave one longer (before webhooks are seen working)
    Duration firstPoll{500};    ///< first poll after creation: catches instant failures
    /** Without an expected duration: interval = backoff × time since creation (or the last
     *  status change), so a prediction is watched closely while young and less as it runs. */
    double backoff = 0.15;
    /** With an expected duration E: the "finish window" E ± max(window × E, minWindow) is
     *  polled at minInterval; before it, interval = minInterval + approach × (time to the
     *  window), capped by earlyBackoff × age; after it, the plain backoff applies. */
    double window = 0.12;
    Duration minWindow{500};
    double approach = 0.5;
    double earlyBackoff = 1.0;
    /** After a webhook said something about a prediction, polling is only the safety net
     *  against a dropped delivery: one poll per this interval (10–30 s is sensible). */
    Duration safetyNetInterval{15000};
    /** While webhooks are expected (PollScheduler::setExternalUpdatesExpected), a new
     *  prediction's first poll comes this long after its creation (capped by
     *  safetyNetInterval), then one every safetyNetInterval: a prediction whose deliveries are
     *  all dropped is still seen final at most safetyNetInterval after it finished. */
    Duration webhookFirstPoll{5000};
    /** A poll taken but never reported back (markPolled) is retried after this long. */
    Duration inFlightTimeout{60000};
    /** When the wanted intervals would need more than this share of the budget, all are
     *  stretched by one common factor (up to maxInterval) instead of running late. */
    double targetUtilization = 0.9;
};

/**
 * The brain of the shared, budgeted prediction poller: decides which prediction to GET next
 * and when. One request budget for all predictions (GCRA token bucket with a burst, plus a
 * hard cap per sliding second); per prediction an adaptive interval (PollPolicy) that tightens
 * around the expected finish time. When the budget is short the most overdue prediction goes
 * first, so none starves. Pure and deterministic: time is always an argument, never read.
 */
class PollScheduler {
public:
    using TimePoint = std::chrono::steady_clock::time_point;
    using Duration = std::chrono::milliseconds;

    static constexpr double DefaultPerSecond = 40.0;
    static constexpr int DefaultBurst = 8;

    PollScheduler();
    explicit PollScheduler(const PollPolicy &policy);

    const PollPolicy &policy() const { return m_policy; }
    void setPolicy(const PollPolicy &policy);

    /** At most perSecond polls per second on average, at most burst back to back, and never
     *  more than ⌊perSecond⌋ (at least 1) in any sliding one-second window. */
    void setBudget(double perSecond, int burst = DefaultBurst);
    double budgetPerSecond() const { return m_perSecond; }
    int burst() const { return m_burst; }

    /** Starts watching a prediction. expected: its typical run time learned from history
     *  (optional); it is measured from createdAt until setExpected() re-anchors it. */
    void add(const QString &id, TimePoint createdAt, std::optional<Duration> expected = {});
    /** Re-anchors the expectation, e.g. to started_at with the model's usual predict_time. */
    void setExpected(const QString &id, TimePoint anchor, std::optional<Duration> expected);
    void remove(const QString &id);
    bool contains(const QString &id) const { return m_entries.count(id) != 0; }
    qsizetype size() const { return static_cast<qsizetype>(m_entries.size()); }

    /** The most overdue prediction, if one is due and the budget allows a GET now. Consumes
     *  budget and marks it in flight: it is not offered again until markPolled() (or
     *  inFlightTimeout). */
    std::optional<QString> takeDue(TimePoint now);
    /** takeDue() repeated up to max times (max < 0: as long as it yields). */
    QStringList takeAllDue(TimePoint now, qsizetype max = -1);

    /** A GET's answer arrived (or failed): schedules the next poll from now. statusChanged
     *  restarts the blind backoff (the prediction just moved, e.g. started). Also accepted
     *  for a GET made outside takeDue(), which then does not count against the budget. */
    void markPolled(const QString &id, TimePoint now, bool statusChanged = false);
    /** A webhook reported on this prediction: from now on poll it only every
     *  safetyNetInterval, as a net for a dropped delivery. */
    void noteExternalUpdate(const QString &id, TimePoint now);
    /**
     * Webhooks are on and working (a signing secret is known): predictions added from now on
     * start in safety-net mode — first poll after webhookFirstPoll, then every
     * safetyNetInterval — since a delivery is expected to report their progress. The bound:
     * a dropped delivery delays noticing a final state by at most safetyNetInterval (plus the
     * GET's round trip) while the budget is not saturated. Predictions already watched keep
     * their mode.
     */
    void setExternalUpdatesExpected(bool expected) { m_externalExpected = expected; }
    bool externalUpdatesExpected() const { return m_externalExpected; }
    /** Honours a 429's Retry-After for every prediction: nothing is due before until.
     *  A pause is only ever extended. */
    void setPaused(TimePoint until);
    std::optional<TimePoint> pausedUntil() const { return m_pausedUntil; }

    /** When takeDue() could next yield something (now if already), or nullopt when nothing
     *  is watched: arm one timer for it. */
    std::optional<TimePoint> nextWakeUp(TimePoint now) const;
    /** When a prediction is next due (diagnostics and tests). */
    std::optional<TimePoint> dueAt(const QString &id) const;
    /** The current common stretch factor (1 = the budget is not short). */
    double loadFactor() const { return m_loadFactor; }

private:
    struct Entry {
        TimePoint createdAt;
        TimePoint anchor; ///< backoff and expectation are measured from here
        std::optional<Duration> expected;
        TimePoint due;
        std::optional<TimePoint> sentAt;       ///< in flight since
        std::optional<TimePoint> lastExternal; ///< safety-net mode once set
        quint64 seq = 0;                       ///< tie-break: older first
    };
    using Nanos = std::chrono::nanoseconds;

    Nanos wantedInterval(const Entry &entry, TimePoint now) const;
    std::optional<TimePoint> windowStart(const Entry &entry) const;
    void scheduleNext(Entry &entry, TimePoint now);
    void updateLoadFactor(TimePoint now);
    TimePoint effectiveDue(const Entry &entry) const;
    TimePoint budgetReadyAt(TimePoint now) const;
    void pruneWindow(TimePoint now);

    PollPolicy m_policy;
    std::map<QString, Entry> m_entries; ///< ordered: iteration is deterministic
    quint64 m_nextSeq = 0;

    double m_perSecond = DefaultPerSecond;
    int m_burst = DefaultBurst;
    Nanos m_emission{};             ///< GCRA: time per request
    std::optional<TimePoint> m_tat; ///< GCRA: theoretical arrival time
    std::deque<TimePoint> m_recent; ///< sends within the last second
    qsizetype m_windowCap = 40;

    std::optional<TimePoint> m_pausedUntil;
    bool m_externalExpected = false;
    double m_loadFactor = 1.0;
    std::optional<TimePoint> m_loadFactorAt;
};

} // namespace brieflow
