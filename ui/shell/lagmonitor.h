// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <array>
#include <chrono>
#include <vector>

#include <QElapsedTimer>
#include <QObject>

class QTimer;

namespace brieflow::ui {

/**
 * Measures how late the GUI thread's event loop answers: a precise heartbeat timer on the thread
 * the monitor lives on, and a histogram of how much later than due each beat arrived (0.1 ms
 * buckets up to 2 s, the exact maximum beyond). A blocked event loop shows as one very late
 * beat. Benchmarks read the figures as JSON (toJson()); nothing runs until start().
 */
class LagMonitor final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LagMonitor)

public:
    struct Figures {
        qint64 beats = 0;
        double p50Ms = 0;
        double p90Ms = 0;
        double p99Ms = 0;
        double maxMs = 0;
        qint64 over16Ms = 0;
        qint64 over50Ms = 0;
        qint64 over100Ms = 0;
        double elapsedMs = 0; ///< time measured since start() or reset()
        int intervalMs = 0;
    };

    explicit LagMonitor(std::chrono::milliseconds interval = std::chrono::milliseconds(5),
                        QObject *parent = nullptr);
    ~LagMonitor() override;

    void start();
    void stop();
    /** Forgets every beat so far (keeps running if it was). */
    void reset();
    bool isRunning() const;

    Figures figures() const;
    /** {"beats":…, "p50_ms":…, "p90_ms":…, "p99_ms":…, "max_ms":…, "over_16ms":…, …}. */
    QByteArray toJson() const;

    /** Upper edges of coarseBuckets() in milliseconds: <1, 1–4, 4–16, 16–50, 50–100, ≥100. */
    static constexpr std::array<int, 5> coarseEdgesMs{1, 4, 16, 50, 100};
    /** How many beats were late by less than 1 ms, 1–4 ms, 4–16 ms, 16–50 ms, 50–100 ms and
     *  100 ms or more (each range includes its lower edge): the Monitoring view's histogram. */
    std::array<qint64, coarseEdgesMs.size() + 1> coarseBuckets() const;

    /** Records one lateness sample directly (tests; the heartbeat calls it too). */
    void record(qint64 latenessNs);

private:
    void beat();
    double percentileMs(double fraction) const;

    static constexpr qint64 bucketNs = 100'000; ///< 0.1 ms
    static constexpr int bucketCount = 20'000;  ///< up to 2 s; later beats go in the last one

    std::chrono::milliseconds m_interval;
    QTimer *m_timer;
    QElapsedTimer m_clock;
    QElapsedTimer m_since;
    qint64 m_lastNs = 0;
    std::vector<qint64> m_buckets;
    qint64 m_beats = 0;
    qint64 m_maxNs = 0;
    qint64 m_over16 = 0;
    qint64 m_over50 = 0;
    qint64 m_over100 = 0;
};

} // namespace brieflow::ui
