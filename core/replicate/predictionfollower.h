// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <chrono>
#include <optional>

#include <QHash>
#include <QList>
#include <QObject>
#include <QSet>

#include "core/provider/modelprovider.h"
#include "core/replicate/poller.h"

namespace brieflow {

/**
 * Follows predictions to a final state: one shared, budgeted Poller decides when each is read
 * again, and notices from outside (a webhook) speed things up. A prediction's state only moves
 * forward (a late `processing` never overwrites `succeeded`), and a final state reported from
 * outside is confirmed with a read before it is trusted. The provider and the clock must outlive
 * the follower; use it on the provider's thread.
 */
class PredictionFollower final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PredictionFollower)

public:
    using Duration = std::chrono::milliseconds;

    PredictionFollower(ModelProvider &provider, const MonotonicClock &clock,
                       QObject *parent = nullptr);
    ~PredictionFollower() override;

    Poller &poller() { return m_poller; }

    /**
     * Follows a prediction we just created (or re-read): @p known is its latest state. Already
     * final → finished() is emitted from the event loop, without a read. @p expected is the
     * usual run time of its model, when history knows it.
     */
    void follow(const Prediction &known, std::optional<Duration> expected = {});
    /** Re-attaches to a prediction by id alone (after a restart): the first read is due now. */
    void follow(const QString &id, std::optional<Duration> expected = {});
    /** Stops following; no more signals for @p id. */
    void stop(const QString &id);
    bool isFollowing(const QString &id) const { return m_entries.contains(id); }
    qsizetype count() const { return m_entries.size(); }

    /** What notify() did with a report. */
    enum class Notice {
        Taken, ///< about a prediction being followed: applied (or ignored if not forward)
        Held,  ///< about an id not (yet) followed: kept a while in case follow() comes next
        Late,  ///< about a prediction that finished recently: ignored
    };

    /**
     * A state reported from outside (a webhook delivery). A forward move is taken at once and
     * polling slows to a safety net; a final state triggers an immediate read that confirms it
     * before finished() is emitted. Backward moves are ignored. A report can overtake the
     * create's answer (the provider may send the webhook before we read the prediction id), so
     * one about an unknown id is held for kHeldFor (at most kMaxHeld ids, the most advanced
     * report of each) and applied if follow() is called for it in time.
     */
    Notice notify(const Prediction &reported);

    static constexpr Duration kHeldFor{60'000};
    static constexpr qsizetype kMaxHeld = 1000;
    /** How many recently finished ids are remembered to tell a late report from an unknown. */
    static constexpr qsizetype kRememberFinished = 1000;

    /** GETs made so far (for statistics and the polling benchmark). */
    quint64 readsSent() const { return m_readsSent; }

Q_SIGNALS:
    /** The prediction moved forward or its output or logs grew. */
    void updated(const brieflow::Prediction &prediction);
    /** Final (succeeded, failed, canceled, aborted); emitted once, then the id is dropped. */
    void finished(const brieflow::Prediction &prediction);
    /** Following became impossible (not found, authentication, credit); the id is dropped. */
    void lost(const QString &id, const brieflow::ProviderError &error);

private:
    struct Entry {
        std::optional<Prediction> last;
        std::optional<Duration> expected;
        CallHandle read;
        bool reading = false;
        bool confirmRequested = false;
    };

    void read(const QString &id);
    void onRead(const QString &id, const ProviderResult<Prediction> &result);
    /** Takes @p p if it moves @p entry forward; returns whether anything changed. */
    static bool advance(Entry &entry, const Prediction &p);
    void finish(const QString &id, const Prediction &p);
    /** Applies a held report about @p id (from the event loop) now that it is followed. */
    void takeHeld(const QString &id);
    void pruneHeld();

    struct Held {
        Prediction report;
        MonotonicClock::TimePoint at;
    };

    ModelProvider &m_provider;
    const MonotonicClock &m_clock;
    Poller m_poller;
    QHash<QString, Entry> m_entries;
    QHash<QString, Held> m_held;
    QSet<QString> m_finished;       ///< recently finished ids, for Notice::Late
    QList<QString> m_finishedOrder; ///< oldest first, to forget beyond kRememberFinished
    quint64 m_readsSent = 0;
};

/** 0 for starting, 1 for processing, 2 for every final status: states only move up. */
int predictionStatusRank(PredictionStatus status);

} // namespace brieflow
