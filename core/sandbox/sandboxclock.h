// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <functional>
#include <map>

#include <QDateTime>
#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QPointer>
#include <QTimer>

namespace brieflow::sandbox {

/**
 * The sandbox's time: real elapsed time plus an offset that advance() moves forward, so tests
 * can jump past a one-hour data TTL or a Cancel-After deadline without waiting. Everything timed
 * in the sandbox (model progress, deadlines, data removal, rate-limit refills) is scheduled here,
 * and advance() runs whatever falls due at once. Times are nanoseconds since the Unix epoch.
 */
class SandboxClock final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SandboxClock)

public:
    using TimerId = quint64;

    /** Starts at @p start, or at the current time when @p start is invalid. */
    explicit SandboxClock(const QDateTime &start = {}, QObject *parent = nullptr);
    ~SandboxClock() override;

    qint64 nowNs() const;
    QDateTime now() const;

    /**
     * Moves time forward by @p ms and runs every callback that falls due on the way, in due
     * order, each with now() at its own due time (so what happened "during" the jump is
     * timestamped as it would have been).
     */
    void advance(qint64 ms);

    /**
     * Calls @p callback once the clock reaches @p dueNs (at once, on the next event-loop turn, if
     * it already has), unless @p context was destroyed or cancel() was called first.
     */
    TimerId callAt(qint64 dueNs, QObject *context, std::function<void()> callback);
    TimerId callAfter(qint64 delayMs, QObject *context, std::function<void()> callback);
    void cancel(TimerId id);

private:
    struct Entry {
        QPointer<QObject> context;
        std::function<void()> callback;
    };
    using Key = std::pair<qint64, TimerId>;

    void runDue();
    void arm();

    QElapsedTimer m_elapsed;
    qint64 m_startNs = 0;
    qint64 m_offsetNs = 0;
    TimerId m_nextId = 1;
    std::map<Key, Entry> m_queue;
    QHash<TimerId, qint64> m_dueById;
    QTimer m_timer;
    bool m_running = false;
};

} // namespace brieflow::sandbox
