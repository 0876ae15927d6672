// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/monitor/monitortables.h"

#include <algorithm>

#include <QGridLayout>
#include <QHBoxLayout>
#include <QHash>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QScrollBar>
#include <QTableWidget>
#include <QVBoxLayout>

#include "core/monitoring/pricetable.h"
#include "ui/monitor/monitorcards.h"
#include "ui/monitor/monitorformat.h"

namespace brieflow::ui {

namespace {

using monitorformat::tr;

constexpr int RawRole = Qt::UserRole;

QTableWidgetItem *textItem(const QString &text, const QString &toolTip = {})
{
    auto *item = new QTableWidgetItem(text);
    item->setFlags(Qt::ItemIsSelectable | Qt::ItemIsEnabled);
    if (!toolTip.isEmpty())
        item->setToolTip(toolTip);
    return item;
}

QTableWidgetItem *numberItem(const QString &text)
{
    QTableWidgetItem *item = textItem(text);
    item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    return item;
}

QTableWidgetItem *countItem(qint64 n)
{
    return numberItem(QString::number(n));
}

QTableWidgetItem *durationItem(const DurationStat &stat, bool p95)
{
    return numberItem(monitorformat::duration(p95 ? stat.p95Ms : stat.p50Ms, stat.samples > 0));
}

QLabel *emptyLabel(const QString &text, QWidget *parent)
{
    auto *label = new QLabel(text, parent);
    label->setWordWrap(true);
    label->setForegroundRole(QPalette::PlaceholderText);
    return label;
}

} // namespace

QTableWidget *makeMonitorTable(const QStringList &headers, int stretchColumn, QWidget *parent)
{
    auto *table = new QTableWidget(0, static_cast<int>(headers.size()), parent);
    table->setHorizontalHeaderLabels(headers);
    table->verticalHeader()->hide();
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->setSelectionMode(QAbstractItemView::SingleSelection);
    table->setAlternatingRowColors(true);
    table->setShowGrid(false);
    table->setWordWrap(false);
    table->setFrameShape(QFrame::NoFrame);
    table->horizontalHeader()->setHighlightSections(false);
    table->horizontalHeader()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    table->horizontalHeader()->setSectionResizeMode(stretchColumn, QHeaderView::Stretch);
    table->horizontalHeader()->setMinimumSectionSize(56);
    table->setHorizontalScrollBarPolicy(Qt::ScrollBarAsNeeded);
    table->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    return table;
}

void fitTableHeight(QTableWidget *table, int maxVisibleRows)
{
    const int rows = std::min(table->rowCount(), maxVisibleRows);
    const int rowHeight = table->verticalHeader()->defaultSectionSize();
    const int header = table->horizontalHeader()->sizeHint().height();
    const int scroll = table->horizontalScrollBar()->isVisible()
                           ? table->horizontalScrollBar()->sizeHint().height()
                           : 0;
    table->setFixedHeight(header + std::max(rows, 1) * rowHeight + scroll + 4);
}

QLabel *makeSectionTitle(const QString &text, QWidget *parent)
{
    auto *label = new QLabel(text, parent);
    QFont f = label->font();
    f.setPointSizeF(f.pointSizeF() * 1.2);
    f.setWeight(QFont::DemiBold);
    label->setFont(f);
    label->setContentsMargins(0, 8, 0, 0);
    return label;
}

QString MonitorTables::errorTypeLabel(const QString &type)
{
    static const QHash<QString, const char *> words{
        {QStringLiteral("unauthenticated"), QT_TR_NOOP("Token not accepted")},
        {QStringLiteral("insufficient_credit"), QT_TR_NOOP("Out of credit")},
        {QStringLiteral("invalid_input"), QT_TR_NOOP("Input rejected by the model")},
        {QStringLiteral("invalid_request"), QT_TR_NOOP("Request rejected")},
        {QStringLiteral("rate_limited"), QT_TR_NOOP("Rate limited")},
        {QStringLiteral("model_error"), QT_TR_NOOP("Model error")},
        {QStringLiteral("policy_refusal"), QT_TR_NOOP("Refused by the safety filter")},
        {QStringLiteral("output_rejected"), QT_TR_NOOP("Unusable output")},
        {QStringLiteral("output_invalid"), QT_TR_NOOP("Unusable output")},
        {QStringLiteral("output_missing"), QT_TR_NOOP("Output missing")},
        {QStringLiteral("output_expired"), QT_TR_NOOP("Output expired before download")},
        {QStringLiteral("output_download_failed"), QT_TR_NOOP("Download failed")},
        {QStringLiteral("output_storage_failed"), QT_TR_NOOP("Couldn't save the output")},
        {QStringLiteral("network"), QT_TR_NOOP("Network")},
        {QStringLiteral("timeout"), QT_TR_NOOP("Timed out")},
        {QStringLiteral("server_error"), QT_TR_NOOP("Provider server error")},
        {QStringLiteral("not_found"), QT_TR_NOOP("Not found at the provider")},
        {QStringLiteral("canceled"), QT_TR_NOOP("Canceled")},
        {QStringLiteral("stuck_retry"), QT_TR_NOOP("Retried while stuck")},
    };
    if (type.isEmpty())
        return tr("Unknown");
    if (const char *w = words.value(type))
        return tr(w);
    return type;
}

MonitorTables::MonitorTables(QWidget *parent)
    : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(8);

    // Failures
    auto *failHead = new QHBoxLayout;
    failHead->addWidget(makeSectionTitle(tr("Failures by step, error and model"), this), 1);
    m_showJobs = new QPushButton(tr("Show jobs"), this);
    m_showJobs->setToolTip(tr("Show the jobs of the selected row in the queue"));
    m_showJobs->setEnabled(false);
    failHead->addWidget(m_showJobs, 0, Qt::AlignBottom);
    layout->addLayout(failHead);
    m_failures = makeMonitorTable({tr("Step"), tr("Error"), tr("Model"), tr("Attempts"), tr("Jobs"),
                                   tr("Jobs failed now"), tr("Last")},
                                  FailModel, this);
    m_failures->setObjectName(QStringLiteral("failuresTable"));
    m_failures->setToolTip(tr("Double-click a row to see its jobs in the queue"));
    m_failuresEmpty = emptyLabel(tr("No failed attempts in this range."), this);
    layout->addWidget(m_failures);
    layout->addWidget(m_failuresEmpty);
    connect(m_failures, &QTableWidget::itemSelectionChanged, this,
            [this] { m_showJobs->setEnabled(m_failures->currentRow() >= 0); });
    connect(m_failures, &QTableWidget::cellActivated, this,
            [this](int, int) { activateCurrentFailure(); });
    connect(m_showJobs, &QPushButton::clicked, this, &MonitorTables::activateCurrentFailure);

    // Durations
    layout->addWidget(makeSectionTitle(tr("How long steps take"), this));
    m_durations =
        makeMonitorTable({tr("Step"), tr("Model"), tr("Samples"), tr("Our queue p50"),
                          tr("Our queue p95"), tr("Starting p50"), tr("Starting p95"),
                          tr("Running p50"), tr("Running p95"), tr("Total p50"), tr("Total p95")},
                         DurModel, this);
    m_durations->setObjectName(QStringLiteral("durationsTable"));
    m_durations->setSelectionMode(QAbstractItemView::NoSelection);
    m_durationsEmpty = emptyLabel(tr("No step has finished in this range yet."), this);
    layout->addWidget(m_durations);
    layout->addWidget(m_durationsEmpty);
    auto *durNote = emptyLabel(
        tr("Our queue: waiting for a free slot in Brieflow. Starting: queued or booting at the "
           "provider. Running: the model's predict time. p50 is the median, p95 the time 95 in "
           "100 finished within."),
        this);
    layout->addWidget(durNote);

    // Reliability
    layout->addWidget(makeSectionTitle(tr("Reliability"), this));
    auto *facts = new QGridLayout;
    facts->setSpacing(12);
    m_retries = new FigureCard(tr("Retries that worked"), this);
    m_predictions = new FigureCard(tr("Predictions succeeded"), this);
    m_recovered = new FigureCard(tr("Recovered after a restart"), this);
    m_outputs = new FigureCard(tr("Output problems"), this);
    m_webhooks = new FigureCard(tr("Webhook deliveries"), this);
    m_retries->setObjectName(QStringLiteral("retriesCard"));
    m_predictions->setObjectName(QStringLiteral("predictionsCard"));
    m_recovered->setObjectName(QStringLiteral("recoveredCard"));
    m_outputs->setObjectName(QStringLiteral("outputsCard"));
    m_webhooks->setObjectName(QStringLiteral("webhooksCard"));
    facts->addWidget(m_retries, 0, 0);
    facts->addWidget(m_predictions, 0, 1);
    facts->addWidget(m_recovered, 0, 2);
    facts->addWidget(m_outputs, 0, 3);
    facts->addWidget(m_webhooks, 1, 0, 1, 4);
    layout->addLayout(facts);

    // Cost
    layout->addWidget(makeSectionTitle(tr("Cost"), this));
    m_costNote = emptyLabel({}, this);
    layout->addWidget(m_costNote);
    auto *costRow = new QHBoxLayout;
    costRow->setSpacing(16);
    auto *briefsBox = new QVBoxLayout;
    briefsBox->addWidget(new QLabel(tr("Per brief"), this));
    m_briefs = makeMonitorTable({tr("Product"), tr("Audience"), tr("Jobs"), tr("Spend")}, 1, this);
    m_briefs->setObjectName(QStringLiteral("briefsTable"));
    briefsBox->addWidget(m_briefs);
    briefsBox->addStretch(1);
    auto *jobsBox = new QVBoxLayout;
    jobsBox->addWidget(new QLabel(tr("Costliest jobs (double-click to open)"), this));
    m_costly = makeMonitorTable({tr("Product"), tr("Job"), tr("Spend")}, 0, this);
    m_costly->setObjectName(QStringLiteral("costlyJobsTable"));
    jobsBox->addWidget(m_costly);
    jobsBox->addStretch(1);
    costRow->addLayout(briefsBox, 1);
    costRow->addLayout(jobsBox, 1);
    layout->addLayout(costRow);
    connect(m_costly, &QTableWidget::cellActivated, this, [this](int row, int) {
        if (QTableWidgetItem *item = m_costly->item(row, 0))
            Q_EMIT jobActivated(JobId(item->data(RawRole).toString()));
    });
}

MonitorTables::~MonitorTables() = default;

void MonitorTables::setFigures(const MonitoringFigures &figures)
{
    fillFailures(figures.failures);
    fillDurations(figures.durations);
    fillFacts(figures);
    fillCost(figures.cost);
}

FailureRow MonitorTables::failureAt(int row) const
{
    return m_failureRows.value(row);
}

void MonitorTables::activateCurrentFailure()
{
    const int row = m_failures->currentRow();
    if (row >= 0 && row < m_failureRows.size())
        Q_EMIT failureActivated(m_failureRows.at(row));
}

void MonitorTables::fillFailures(const QList<FailureRow> &rows)
{
    m_failureRows = rows;
    m_failures->clearContents();
    m_failures->setRowCount(static_cast<int>(rows.size()));
    for (int r = 0; r < rows.size(); ++r) {
        const FailureRow &f = rows.at(r);
        m_failures->setItem(r, FailStep, textItem(f.step.isEmpty() ? tr("(whole job)") : f.step));
        m_failures->setItem(r, FailError, textItem(errorTypeLabel(f.errorType), f.errorType));
        m_failures->setItem(r, FailModel,
                            textItem(f.model.isEmpty() ? tr("(no model call)") : f.model));
        m_failures->setItem(r, FailAttempts, countItem(f.attempts));
        m_failures->setItem(r, FailJobs, countItem(f.jobs));
        m_failures->setItem(r, FailJobsFailed, countItem(f.jobsFailed));
        m_failures->setItem(r, FailLast,
                            textItem(monitorformat::when(f.last), f.last.toLocalTime().toString()));
    }
    m_failures->setVisible(!rows.isEmpty());
    m_failuresEmpty->setVisible(rows.isEmpty());
    m_showJobs->setVisible(!rows.isEmpty());
    m_showJobs->setEnabled(false);
    fitTableHeight(m_failures);
}

void MonitorTables::fillDurations(const QList<DurationRow> &rows)
{
    m_durations->clearContents();
    m_durations->setRowCount(static_cast<int>(rows.size()));
    for (int r = 0; r < rows.size(); ++r) {
        const DurationRow &d = rows.at(r);
        m_durations->setItem(r, DurStep, textItem(d.step));
        m_durations->setItem(r, DurModel, textItem(d.model));
        m_durations->setItem(r, DurSamples, countItem(d.total.samples));
        m_durations->setItem(r, DurQueueP50, durationItem(d.queue, false));
        m_durations->setItem(r, DurQueueP95, durationItem(d.queue, true));
        m_durations->setItem(r, DurStartingP50, durationItem(d.starting, false));
        m_durations->setItem(r, DurStartingP95, durationItem(d.starting, true));
        m_durations->setItem(r, DurRunningP50, durationItem(d.running, false));
        m_durations->setItem(r, DurRunningP95, durationItem(d.running, true));
        m_durations->setItem(r, DurTotalP50, durationItem(d.total, false));
        m_durations->setItem(r, DurTotalP95, durationItem(d.total, true));
    }
    m_durations->setVisible(!rows.isEmpty());
    m_durationsEmpty->setVisible(rows.isEmpty());
    fitTableHeight(m_durations);
}

void MonitorTables::fillFacts(const MonitoringFigures &f)
{
    const RetryFigures &r = f.retries;
    m_retries->setFigure(monitorformat::percent(r.rate()),
                         r.stepsRetried == 0 ? tr("No step needed a retry.")
                                             : tr("Retried steps that succeeded: %1 of %2.")
                                                   .arg(r.retriedSucceeded)
                                                   .arg(r.stepsRetried));

    const PredictionFigures &p = f.predictions;
    m_predictions->setFigure(
        tr("%1 of %2").arg(p.succeeded).arg(p.created),
        tr("Attempts %1 · created at the provider %2 · failed %3 · canceled %4 · in flight %5")
            .arg(p.intents)
            .arg(p.created)
            .arg(p.failed)
            .arg(p.canceled)
            .arg(p.inFlight));

    m_recovered->setFigure(QString::number(f.jobsRecovered),
                           f.jobsRecovered == 1 ? tr("job was taken up again after a restart.")
                                                : tr("jobs were taken up again after a restart."));

    const OutputFigures &o = f.outputs;
    m_outputs->setFigure(QString::number(o.validationFailures + o.missing + o.expired),
                         tr("Failed the output check %1 · missing %2 · expired at the provider "
                            "before download %3")
                             .arg(o.validationFailures)
                             .arg(o.missing)
                             .arg(o.expired));

    const WebhookFigures &w = f.webhooks;
    QStringList reasons;
    for (const WebhookFigures::Reason &reason : w.rejectedBy)
        reasons << tr("%1 %2").arg(reason.reason).arg(reason.count);
    QString detail = tr("Verified %1 · duplicates %2 · late %3 · rejected %4")
                         .arg(w.verified)
                         .arg(w.duplicates)
                         .arg(w.late)
                         .arg(w.rejected);
    if (!reasons.isEmpty())
        detail += tr(" (%1)").arg(reasons.join(tr(", ")));
    detail += tr(" · ended without a delivery, seen by polling %1").arg(w.droppedThenPolled);
    if (w.received == 0 && w.droppedThenPolled == 0)
        detail = tr("None received in this range. Webhooks are optional: Settings ▸ Engine ▸ "
                    "Webhooks; polling works without them.");
    m_webhooks->setFigure(tr("%1 received").arg(w.received), detail);
}

void MonitorTables::fillCost(const CostFigures &cost)
{
    QString note = tr("%1 in all for %2 of model time")
                       .arg(formatUsd(cost.totalUsd),
                            monitorformat::duration(qRound64(cost.predictSeconds * 1000)));
    if (const auto perJob = cost.perJobUsd())
        note += tr(" · %1 per job on average").arg(formatUsd(*perJob));
    if (cost.unpricedCalls > 0)
        note += tr(" · %1, so their cost is unknown")
                    .arg(monitorformat::count(cost.unpricedCalls, "1 call ended without a run time",
                                              "%1 calls ended without a run time"));
    note += tr(". Prices per model are set in Settings.");
    m_costNote->setText(note);

    m_briefs->clearContents();
    m_briefs->setRowCount(static_cast<int>(cost.topBriefs.size()));
    for (int r = 0; r < cost.topBriefs.size(); ++r) {
        const CostFigures::BriefCost &b = cost.topBriefs.at(r);
        m_briefs->setItem(r, 0, textItem(b.product));
        m_briefs->setItem(r, 1, textItem(b.audience, b.audience));
        m_briefs->setItem(r, 2, countItem(b.jobs));
        m_briefs->setItem(r, 3, numberItem(formatUsd(b.usd)));
    }
    fitTableHeight(m_briefs);

    m_costly->clearContents();
    m_costly->setRowCount(static_cast<int>(cost.topJobs.size()));
    for (int r = 0; r < cost.topJobs.size(); ++r) {
        const CostFigures::JobCost &j = cost.topJobs.at(r);
        QTableWidgetItem *product = textItem(j.product, tr("Double-click to open the job"));
        product->setData(RawRole, j.job.toString());
        m_costly->setItem(r, 0, product);
        m_costly->setItem(r, 1, textItem(j.job.toString().right(8), j.job.toString()));
        m_costly->setItem(r, 2, numberItem(formatUsd(j.usd)));
    }
    fitTableHeight(m_costly);
}

} // namespace brieflow::ui
