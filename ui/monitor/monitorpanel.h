// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDateTime>
#include <QElapsedTimer>
#include <QList>
#include <QWidget>

#include "core/monitoring/figures.h"
#include "core/pipeline/enginetypes.h"
#include "core/provider/providertypes.h"
#include "ui/monitor/monitorloader.h"

class QComboBox;
class QLabel;
class QPushButton;
class QScrollArea;
class QTableWidget;
class QTimer;

namespace brieflow {
class Settings;
}

namespace brieflow::ui {

class Banner;
class FigureCard;
class LagMonitor;
class MonitorCharts;
class MonitorTables;

/**
 * The Monitoring view: what the pipeline did over a chosen time range and what needs the user
 * now. A range chooser and Refresh; a row of headline figures (completion rate, jobs, failed
 * attempts, spend against the daily budget, stuck now); the stuck jobs with Cancel / Retry now /
 * Keep waiting; the rate-limit state; charts (MonitorCharts) and tables (MonitorTables).
 *
 * The figures are read off the GUI thread (MonitorLoader: its own read-only store on a worker);
 * while the view is visible it refreshes when the engine reports changes (onJobsChanged(),
 * coalesced to at most one read every minRefreshIntervalMs) and every autoRefreshMs. A store
 * error is shown in the view in plain words, with Try again.
 *
 * API for the integrator:
 *   MonitorPanel(databaseFile, settings, lag, parent) — settings: prices and the daily budget
 *     (may be null: default prices, no budget); lag: the window's LagMonitor (may be null)
 *   slots:   onJobsChanged()        ← EngineHost::jobsChanged
 *            setRateLimited(ms, reason) ← EngineHost::rateLimited
 *   signals: showJobsRequested(ids, label) → switch to Create, show only those jobs
 *            showJobRequested(id)           → MainWindow::showJob
 *            cancelRequested / retryRequested / keepWaitingRequested → EngineHost, as the job
 *            pane's stuck banner
 */
class MonitorPanel final : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MonitorPanel)

public:
    static constexpr int minRefreshIntervalMs = 2000;
    static constexpr int autoRefreshMs = 30'000;

    enum class Range { Today, Last24Hours, Last7Days, Last30Days, AllTime };

    MonitorPanel(const QString &databaseFile, Settings *settings, LagMonitor *lag,
                 QWidget *parent = nullptr);
    ~MonitorPanel() override;

    Range range() const;
    void setRange(Range range);
    /** The query the current range means now (prices from the settings). */
    MonitoringQuery currentQuery() const;

    /** The last figures shown; nullopt before the first read (or after an error). */
    const std::optional<MonitorSnapshot> &snapshot() const { return m_snapshot; }
    bool isLoading() const;
    /** The empty-state sentence while it shows, else empty. */
    QString emptyStateText() const;
    /** The store error shown, else empty. */
    QString errorText() const;
    QString rateLimitText() const;

    FigureCard *completionCard() const { return m_completion; }
    FigureCard *jobsCard() const { return m_jobs; }
    FigureCard *failuresCard() const { return m_failed; }
    FigureCard *spendCard() const { return m_spend; }
    FigureCard *stuckCard() const { return m_stuckCard; }
    MonitorCharts *charts() const { return m_charts; }
    MonitorTables *tables() const { return m_tables; }
    QTableWidget *stuckTable() const { return m_stuckTable; }
    QPushButton *stuckCancelButton() const { return m_stuckCancel; }
    QPushButton *stuckRetryButton() const { return m_stuckRetry; }
    QPushButton *stuckKeepWaitingButton() const { return m_stuckKeep; }
    QComboBox *rangeChooser() const { return m_range; }
    QPushButton *refreshButton() const { return m_refresh; }

public Q_SLOTS:
    /** Reads the figures again now (the result replaces any older request's). */
    void refresh();
    /** The engine changed jobs: refresh soon while visible (at most every
     *  minRefreshIntervalMs), or on the next show. */
    void onJobsChanged();
    /** Replicate asked us to slow down: shown with its remaining time until it passes. */
    void setRateLimited(qint64 retryInMs, brieflow::RateLimitReason reason);

Q_SIGNALS:
    void showJobsRequested(const QList<brieflow::JobId> &jobs, const QString &label);
    void showJobRequested(const brieflow::JobId &job);
    void cancelRequested(const QList<brieflow::JobId> &jobs);
    void retryRequested(const QList<brieflow::RetryRequest> &requests);
    void keepWaitingRequested(const brieflow::JobId &job);
    /** A read finished and its figures (or its error) are shown. */
    void refreshed();
    void problem(const QString &message);

protected:
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    QWidget *buildHeader();
    QWidget *buildHeadline();
    QWidget *buildStuck();
    void onLoaded(const MonitorSnapshot &snapshot);
    void showHeadline(const MonitoringFigures &f, std::optional<double> spentToday);
    void showStuck(const QList<StuckJobRow> &rows);
    void updateRateLimit();
    void updateLag();
    void updateStuckButtons();
    JobId selectedStuckJob() const;
    void onFailureActivated(const FailureRow &row);

    Settings *m_settings = nullptr;
    LagMonitor *m_lag = nullptr;
    MonitorLoader *m_loader = nullptr;
    std::optional<MonitorSnapshot> m_snapshot;
    MonitoringQuery m_lastQuery;
    bool m_dirty = true;
    QElapsedTimer m_sinceRequest;
    QTimer *m_coalesce = nullptr;
    QTimer *m_auto = nullptr;
    QTimer *m_tick = nullptr; ///< the rate limit's countdown and the lag chart, every second

    QComboBox *m_range = nullptr;
    QPushButton *m_refresh = nullptr;
    QLabel *m_updated = nullptr;
    Banner *m_error = nullptr;
    QLabel *m_empty = nullptr;
    FigureCard *m_completion = nullptr;
    FigureCard *m_jobs = nullptr;
    FigureCard *m_failed = nullptr;
    FigureCard *m_spend = nullptr;
    FigureCard *m_stuckCard = nullptr;
    QLabel *m_rateLimit = nullptr;
    QWidget *m_stuckBox = nullptr;
    QTableWidget *m_stuckTable = nullptr;
    QPushButton *m_stuckCancel = nullptr;
    QPushButton *m_stuckRetry = nullptr;
    QPushButton *m_stuckKeep = nullptr;
    QWidget *m_details = nullptr; ///< charts and tables (hidden by the empty state)
    MonitorCharts *m_charts = nullptr;
    MonitorTables *m_tables = nullptr;

    // The last rate-limit signal.
    QDateTime m_rateUntil;
    QDateTime m_rateAt;
    RateLimitReason m_rateReason = RateLimitReason::Throttled;
};

} // namespace brieflow::ui
