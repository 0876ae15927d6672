// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <chrono>
#include <optional>

#include <QHash>
#include <QObject>

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

    /**
     * A state reported from outside (a webhook delivery). A forward move is taken at once and
     * polling slows to a safety net; a final state triggers an immediate read that confirms it
     * before finished() is emitted. Unknown ids and backward moves are ignored.
     */
    void notify(const Prediction &reported);

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

    ModelProvider &m_provider;
    const MonotonicClock &m_clock;
    Poller m_poller;
    QHash<QString, Entry> m_entries;
    quint64 m_readsSent = 0;
};

/** 0 for starting, 1 for processing, 2 for every final status: states only move up. */
int predictionStatusRank(PredictionStatus status);

} // namespace brieflow
