// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QWidget>

#include "core/monitoring/figures.h"
#include "core/util/ids.h"

class QLabel;
class QPushButton;
class QTableWidget;

namespace brieflow::ui {

class FigureCard;

/**
 * The Monitoring view's tables and reliability figures, below its charts: failures by step ×
 * error type × model (activate a row, or select it and press "Show jobs", to see those jobs in
 * the queue), durations (p50 and p95 of the time in our queue, starting at the provider,
 * running and in all), retries, predictions, jobs recovered after a restart, output problems,
 * webhook deliveries, and cost per brief and the costliest jobs (activate one to open it).
 */
class MonitorTables final : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MonitorTables)

public:
    enum FailureColumn {
        FailStep,
        FailError,
        FailModel,
        FailAttempts,
        FailJobs,
        FailJobsFailed,
        FailLast,
        FailColumnCount
    };
    enum DurationColumn {
        DurStep,
        DurModel,
        DurSamples,
        DurQueueP50,
        DurQueueP95,
        DurStartingP50,
        DurStartingP95,
        DurRunningP50,
        DurRunningP95,
        DurTotalP50,
        DurTotalP95,
        DurColumnCount
    };

    explicit MonitorTables(QWidget *parent = nullptr);
    ~MonitorTables() override;

    void setFigures(const MonitoringFigures &figures);

    QTableWidget *failuresTable() const { return m_failures; }
    QTableWidget *durationsTable() const { return m_durations; }
    QTableWidget *briefsTable() const { return m_briefs; }
    QTableWidget *costlyJobsTable() const { return m_costly; }
    QPushButton *showJobsButton() const { return m_showJobs; }
    FigureCard *retriesCard() const { return m_retries; }
    FigureCard *predictionsCard() const { return m_predictions; }
    FigureCard *recoveredCard() const { return m_recovered; }
    FigureCard *outputsCard() const { return m_outputs; }
    FigureCard *webhooksCard() const { return m_webhooks; }

    /** The failure row shown at @p row of the table (sorted as shown). */
    FailureRow failureAt(int row) const;
    /** An error_type in a few plain words ("Model error", "Refused by safety filter"). */
    static QString errorTypeLabel(const QString &errorType);

Q_SIGNALS:
    /** A failure row was activated: show its jobs. */
    void failureActivated(const brieflow::FailureRow &row);
    /** A job of the costliest list was activated: open it. */
    void jobActivated(const brieflow::JobId &job);

private:
    void fillFailures(const QList<FailureRow> &rows);
    void fillDurations(const QList<DurationRow> &rows);
    void fillCost(const CostFigures &cost);
    void fillFacts(const MonitoringFigures &f);
    void activateCurrentFailure();

    QTableWidget *m_failures = nullptr;
    QLabel *m_failuresEmpty = nullptr;
    QPushButton *m_showJobs = nullptr;
    QTableWidget *m_durations = nullptr;
    QLabel *m_durationsEmpty = nullptr;
    QTableWidget *m_briefs = nullptr;
    QTableWidget *m_costly = nullptr;
    QLabel *m_costNote = nullptr;
    FigureCard *m_retries = nullptr;
    FigureCard *m_predictions = nullptr;
    FigureCard *m_recovered = nullptr;
    FigureCard *m_outputs = nullptr;
    FigureCard *m_webhooks = nullptr;
    QList<FailureRow> m_failureRows;
};

/** A read-only table; @p stretchColumn takes the width the other columns don't need. */
QTableWidget *makeMonitorTable(const QStringList &headers, int stretchColumn, QWidget *parent);
/** Fits @p table's height to its rows. */
void fitTableHeight(QTableWidget *table, int maxVisibleRows = 10);
/** A section heading of the Monitoring view. */
QLabel *makeSectionTitle(const QString &text, QWidget *parent);

} // namespace brieflow::ui
