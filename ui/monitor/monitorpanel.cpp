// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/monitor/monitorpanel.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QShowEvent>
#include <QStyle>
#include <QTableWidget>
#include <QTimer>
#include <QVBoxLayout>

#include "core/settings.h"
#include "ui/monitor/monitorcards.h"
#include "ui/monitor/monitorcharts.h"
#include "ui/monitor/monitorformat.h"
#include "ui/monitor/monitortables.h"
#include "ui/shell/banner.h"
#include "ui/shell/lagmonitor.h"

namespace brieflow::ui {

namespace {

using monitorformat::tr;

const QColor warningColor(0xb2, 0x6a, 0x00);
const QColor errorColor(0xc6, 0x28, 0x28);

PriceTable pricesFrom(const Settings *settings)
{
    if (settings) {
        const QByteArray json = settings->value(Settings::ModelPrices);
        if (!json.isEmpty()) {
            if (auto table = PriceTable::fromJson(json))
                return *table;
        }
    }
    return PriceTable::defaults();
}

} // namespace

MonitorPanel::MonitorPanel(const QString &databaseFile, Settings *settings, LagMonitor *lag,
                           QWidget *parent)
    : QWidget(parent)
    , m_settings(settings)
    , m_lag(lag)
    , m_loader(new MonitorLoader(databaseFile, this))
{
    setAccessibleName(tr("Monitor"));
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->setSpacing(0);
    outer->addWidget(buildHeader());

    auto *scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    auto *page = new QWidget(scroll);
    auto *layout = new QVBoxLayout(page);
    layout->setContentsMargins(24, 8, 24, 24);
    layout->setSpacing(12);

    m_error = new Banner(Banner::Kind::Error, page);
    m_error->setObjectName(QStringLiteral("monitorError"));
    connect(m_error->addButton(tr("Try again"), tr("Read the figures again")),
            &QPushButton::clicked, this, &MonitorPanel::refresh);
    m_error->hide();
    layout->addWidget(m_error);
    layout->addWidget(buildHeadline());
    m_rateLimit = new QLabel(page);
    m_rateLimit->setObjectName(QStringLiteral("rateLimitState"));
    m_rateLimit->setWordWrap(true);
    layout->addWidget(m_rateLimit);
    layout->addWidget(buildStuck());

    m_empty = new QLabel(page);
    m_empty->setObjectName(QStringLiteral("monitorEmptyState"));
    m_empty->setWordWrap(true);
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setContentsMargins(24, 48, 24, 48);
    m_empty->setForegroundRole(QPalette::PlaceholderText);
    m_empty->hide();
    layout->addWidget(m_empty);

    m_details = new QWidget(page);
    auto *details = new QVBoxLayout(m_details);
    details->setContentsMargins(0, 0, 0, 0);
    details->setSpacing(12);
    m_charts = new MonitorCharts(m_details);
    m_tables = new MonitorTables(m_details);
    details->addWidget(m_charts);
    details->addWidget(m_tables);
    layout->addWidget(m_details);
    layout->addStretch(1);
    scroll->setWidget(page);
    outer->addWidget(scroll, 1);

    m_coalesce = new QTimer(this);
    m_coalesce->setSingleShot(true);
    connect(m_coalesce, &QTimer::timeout, this, &MonitorPanel::refresh);
    m_auto = new QTimer(this);
    m_auto->setInterval(autoRefreshMs);
    connect(m_auto, &QTimer::timeout, this, &MonitorPanel::refresh);
    m_tick = new QTimer(this);
    m_tick->setInterval(1000);
    connect(m_tick, &QTimer::timeout, this, [this] {
        updateRateLimit();
        updateLag();
    });

    connect(m_loader, &MonitorLoader::loaded, this, &MonitorPanel::onLoaded);
    connect(m_loader, &MonitorLoader::jobsFound, this, &MonitorPanel::showJobsRequested);
    connect(m_loader, &MonitorLoader::problem, this, [this](const QString &message) {
        m_error->setText(message);
        m_error->show();
        Q_EMIT problem(message);
    });
    connect(m_tables, &MonitorTables::failureActivated, this, &MonitorPanel::onFailureActivated);
    connect(m_tables, &MonitorTables::jobActivated, this, &MonitorPanel::showJobRequested);
    updateRateLimit();
    updateLag();
}

MonitorPanel::~MonitorPanel() = default;

QWidget *MonitorPanel::buildHeader()
{
    auto *header = new QWidget(this);
    auto *row = new QHBoxLayout(header);
    row->setContentsMargins(24, 16, 24, 8);
    row->setSpacing(8);
    auto *title = new QLabel(tr("Monitor"), header);
    QFont f = title->font();
    f.setPointSizeF(f.pointSizeF() * 1.5);
    f.setWeight(QFont::DemiBold);
    title->setFont(f);
    row->addWidget(title);
    row->addSpacing(16);
    m_updated = new QLabel(header);
    m_updated->setForegroundRole(QPalette::PlaceholderText);
    row->addWidget(m_updated, 1);
    auto *rangeLabel = new QLabel(tr("Time range"), header);
    m_range = new QComboBox(header);
    m_range->setObjectName(QStringLiteral("monitorRange"));
    m_range->addItem(tr("Today"), static_cast<int>(Range::Today));
    m_range->addItem(tr("Last 24 hours"), static_cast<int>(Range::Last24Hours));
    m_range->addItem(tr("Last 7 days"), static_cast<int>(Range::Last7Days));
    m_range->addItem(tr("Last 30 days"), static_cast<int>(Range::Last30Days));
    m_range->addItem(tr("All time"), static_cast<int>(Range::AllTime));
    m_range->setCurrentIndex(static_cast<int>(Range::Last7Days));
    m_range->setAccessibleName(tr("Time range"));
    rangeLabel->setBuddy(m_range);
    m_refresh =
        new QPushButton(style()->standardIcon(QStyle::SP_BrowserReload), tr("Refresh"), header);
    m_refresh->setToolTip(tr("Read the figures again now (they also follow the engine)"));
    m_refresh->setShortcut(QKeySequence::Refresh);
    row->addWidget(rangeLabel);
    row->addWidget(m_range);
    row->addWidget(m_refresh);
    connect(m_range, &QComboBox::currentIndexChanged, this, &MonitorPanel::refresh);
    connect(m_refresh, &QPushButton::clicked, this, &MonitorPanel::refresh);
    return header;
}

QWidget *MonitorPanel::buildHeadline()
{
    auto *box = new QWidget(this);
    auto *row = new QHBoxLayout(box);
    row->setContentsMargins(0, 0, 0, 0);
    row->setSpacing(12);
    m_completion = new FigureCard(tr("Completion rate"), box);
    m_jobs = new FigureCard(tr("Jobs created"), box);
    m_failed = new FigureCard(tr("Failed attempts"), box);
    m_spend = new FigureCard(tr("Spend"), box);
    m_stuckCard = new FigureCard(tr("Stuck now"), box);
    m_completion->setObjectName(QStringLiteral("completionCard"));
    m_jobs->setObjectName(QStringLiteral("jobsCard"));
    m_failed->setObjectName(QStringLiteral("failedAttemptsCard"));
    m_spend->setObjectName(QStringLiteral("spendCard"));
    m_stuckCard->setObjectName(QStringLiteral("stuckCard"));
    for (FigureCard *card : {m_completion, m_jobs, m_failed, m_spend, m_stuckCard})
        row->addWidget(card, 1);
    return box;
}

QWidget *MonitorPanel::buildStuck()
{
    m_stuckBox = new QWidget(this);
    auto *layout = new QVBoxLayout(m_stuckBox);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(8);
    auto *head = new QHBoxLayout;
    head->addWidget(makeSectionTitle(tr("Stuck right now"), m_stuckBox), 1);
    m_stuckCancel = new QPushButton(tr("Cancel"), m_stuckBox);
    m_stuckCancel->setToolTip(tr("Stop this job; steps already done are kept"));
    m_stuckRetry = new QPushButton(tr("Retry now"), m_stuckBox);
    m_stuckRetry->setToolTip(
        tr("Cancel the stuck prediction at Replicate and start the step again"));
    m_stuckKeep = new QPushButton(tr("Keep waiting"), m_stuckBox);
    m_stuckKeep->setToolTip(tr("Leave it running; Brieflow asks again if it stays stuck"));
    for (QPushButton *b : {m_stuckCancel, m_stuckRetry, m_stuckKeep})
        head->addWidget(b, 0, Qt::AlignBottom);
    layout->addLayout(head);
    m_stuckTable =
        makeMonitorTable({tr("Product"), tr("Step"), tr("Stuck for"), tr("Why")}, 3, m_stuckBox);
    m_stuckTable->setObjectName(QStringLiteral("stuckTable"));
    layout->addWidget(m_stuckTable);
    m_stuckBox->hide();
    connect(m_stuckTable, &QTableWidget::itemSelectionChanged, this,
            &MonitorPanel::updateStuckButtons);
    connect(m_stuckTable, &QTableWidget::cellActivated, this, [this](int, int) {
        if (const JobId job = selectedStuckJob(); !job.isNull())
            Q_EMIT showJobRequested(job);
    });
    connect(m_stuckCancel, &QPushButton::clicked, this, [this] {
        if (const JobId job = selectedStuckJob(); !job.isNull())
            Q_EMIT cancelRequested({job});
        onJobsChanged();
    });
    connect(m_stuckRetry, &QPushButton::clicked, this, [this] {
        if (const JobId job = selectedStuckJob(); !job.isNull())
            Q_EMIT retryRequested({RetryRequest{job, {}, std::nullopt}});
        onJobsChanged();
    });
    connect(m_stuckKeep, &QPushButton::clicked, this, [this] {
        if (const JobId job = selectedStuckJob(); !job.isNull())
            Q_EMIT keepWaitingRequested(job);
        onJobsChanged();
    });
    return m_stuckBox;
}

MonitorPanel::Range MonitorPanel::range() const
{
    return static_cast<Range>(m_range->currentData().toInt());
}

void MonitorPanel::setRange(Range range)
{
    m_range->setCurrentIndex(m_range->findData(static_cast<int>(range)));
}

MonitoringQuery MonitorPanel::currentQuery() const
{
    MonitoringQuery q;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    q.to = now.addMSecs(1); // [from, to): what happened up to now
    switch (range()) {
    case Range::Today:
        q.from = QDateTime(QDate::currentDate(), QTime(0, 0)).toUTC();
        break;
    case Range::Last24Hours:
        q.from = now.addSecs(-24 * 3600);
        break;
    case Range::Last7Days:
        q.from = now.addDays(-7);
        break;
    case Range::Last30Days:
        q.from = now.addDays(-30);
        break;
    case Range::AllTime:
        q.from = QDateTime::fromMSecsSinceEpoch(0, Qt::UTC);
        break;
    }
    q.utcOffsetSeconds = QDateTime::currentDateTime().offsetFromUtc();
    q.prices = pricesFrom(m_settings);
    return q;
}

bool MonitorPanel::isLoading() const
{
    return m_loader->isLoading();
}

QString MonitorPanel::emptyStateText() const
{
    return m_empty->isHidden() ? QString() : m_empty->text();
}

QString MonitorPanel::errorText() const
{
    return m_error->isHidden() ? QString() : m_error->text();
}

QString MonitorPanel::rateLimitText() const
{
    return m_rateLimit->text();
}

void MonitorPanel::refresh()
{
    m_coalesce->stop();
    m_dirty = false;
    m_sinceRequest.start();
    m_lastQuery = currentQuery();
    m_loader->load(m_lastQuery);
    m_refresh->setEnabled(true);
    m_updated->setText(
        m_snapshot ? tr("Updating… (last read %1)").arg(monitorformat::when(m_snapshot->readAt))
                   : tr("Reading the figures…"));
    updateLag();
}

void MonitorPanel::onJobsChanged()
{
    if (!isVisible()) {
        m_dirty = true; // read on the next show
        return;
    }
    if (m_coalesce->isActive())
        return;
    const qint64 since = m_sinceRequest.isValid() ? m_sinceRequest.elapsed() : minRefreshIntervalMs;
    m_coalesce->start(static_cast<int>(std::max<qint64>(0, minRefreshIntervalMs - since)));
}

void MonitorPanel::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    m_auto->start();
    m_tick->start();
    if (m_dirty || !m_snapshot
        || (m_sinceRequest.isValid() && m_sinceRequest.elapsed() > minRefreshIntervalMs))
        refresh();
}

void MonitorPanel::hideEvent(QHideEvent *event)
{
    QWidget::hideEvent(event);
    m_auto->stop();
    m_tick->stop();
    m_coalesce->stop();
}

void MonitorPanel::onLoaded(const MonitorSnapshot &snapshot)
{
    m_updated->setText(tr("Updated %1").arg(monitorformat::when(snapshot.readAt)));
    if (!snapshot.error.isEmpty()) {
        m_error->setText(snapshot.error);
        m_error->show();
    } else {
        m_error->hide();
    }
    if (!snapshot.figures) {
        Q_EMIT refreshed();
        return;
    }
    m_snapshot = snapshot;
    const MonitoringFigures &f = *snapshot.figures;
    showHeadline(f, snapshot.spentTodayUsd);
    showStuck(snapshot.stuck);

    const bool empty = f.completion.jobs == 0 && f.predictions.intents == 0;
    if (empty) {
        m_empty->setText(range() == Range::AllTime
                             ? tr("No jobs yet — write a brief in Create (Ctrl+1) or import a "
                                  "CSV, and what happens to it shows here.")
                             : tr("No jobs in this range yet — pick a longer range above, or "
                                  "write a brief in Create (Ctrl+1)."));
    }
    m_empty->setVisible(empty);
    m_details->setVisible(!empty);

    QDate first = f.query.from.toLocalTime().date();
    if (range() == Range::AllTime)
        first = f.days.isEmpty() ? QDate::currentDate() : f.days.first().day;
    m_charts->setFigures(f, first, QDate::currentDate());
    m_tables->setFigures(f);
    updateLag();
    Q_EMIT refreshed();
}

void MonitorPanel::showHeadline(const MonitoringFigures &f, std::optional<double> spentToday)
{
    const CompletionFigures &c = f.completion;
    const int ended = c.succeeded + c.failed;
    m_completion->setFigure(
        monitorformat::percent(c.rate()),
        ended == 0 ? tr("No job has ended in this range yet.")
                   : tr("%1 succeeded out of %2 that ended.").arg(c.succeeded).arg(ended));
    m_completion->setTone(c.rate() && *c.rate() < 0.8 ? warningColor : QColor());

    QStringList parts{tr("%1 succeeded").arg(c.succeeded), tr("%1 failed").arg(c.failed)};
    if (c.active > 0)
        parts << tr("%1 waiting or running").arg(c.active);
    if (c.needsAttention > 0)
        parts << tr("%1 needing attention").arg(c.needsAttention);
    if (c.canceled > 0)
        parts << tr("%1 canceled").arg(c.canceled);
    m_jobs->setFigure(QString::number(c.jobs), parts.join(QStringLiteral(" · ")));

    int failedAttempts = 0;
    for (const FailureRow &row : f.failures)
        failedAttempts += row.attempts;
    m_failed->setFigure(
        QString::number(failedAttempts),
        failedAttempts == 0
            ? tr("Nothing failed in this range.")
            : tr("%1 — see Failures below.")
                  .arg(monitorformat::count(f.failures.size(), "In one group", "In %1 groups")));
    m_failed->setTone(failedAttempts > 0 ? errorColor : QColor());

    const double budget = m_settings ? m_settings->value(Settings::DailyBudgetUsd) : 0.0;
    QString spendDetail;
    QColor spendTone;
    if (spentToday && budget > 0) {
        spendDetail =
            tr("Today %1 of the %2 daily budget.").arg(formatUsd(*spentToday), formatUsd(budget));
        if (*spentToday >= budget)
            spendTone = errorColor;
        else if (*spentToday >= 0.8 * budget)
            spendTone = warningColor;
    } else if (spentToday) {
        spendDetail = tr("Today %1 · no daily budget set.").arg(formatUsd(*spentToday));
    }
    m_spend->setFigure(formatUsd(f.cost.totalUsd), spendDetail);
    m_spend->setTone(spendTone);

    m_stuckCard->setFigure(QString::number(f.stuckNow),
                           f.stuckNow == 0 ? tr("Nothing is stuck.")
                                           : tr("Decide below: cancel, retry or keep waiting."));
    m_stuckCard->setTone(f.stuckNow > 0 ? warningColor : QColor());
}

void MonitorPanel::showStuck(const QList<StuckJobRow> &rows)
{
    const JobId selected = selectedStuckJob();
    const QDateTime now = QDateTime::currentDateTimeUtc();
    m_stuckTable->clearContents();
    m_stuckTable->setRowCount(static_cast<int>(rows.size()));
    int selectRow = 0;
    for (int r = 0; r < rows.size(); ++r) {
        const StuckJobRow &s = rows.at(r);
        auto item = [](const QString &text) {
            auto *i = new QTableWidgetItem(text);
            i->setFlags(Qt::ItemIsSelectable | Qt::ItemIsEnabled);
            i->setToolTip(text);
            return i;
        };
        QTableWidgetItem *product = item(s.product);
        product->setData(Qt::UserRole, s.job.toString());
        m_stuckTable->setItem(r, 0, product);
        m_stuckTable->setItem(r, 1, item(s.step));
        m_stuckTable->setItem(r, 2, item(monitorformat::since(s.since, now)));
        m_stuckTable->setItem(r, 3, item(s.reason));
        if (s.job == selected)
            selectRow = r;
    }
    m_stuckBox->setVisible(!rows.isEmpty());
    if (!rows.isEmpty())
        m_stuckTable->selectRow(selectRow);
    fitTableHeight(m_stuckTable, 6);
    updateStuckButtons();
}

JobId MonitorPanel::selectedStuckJob() const
{
    const int row = m_stuckTable->currentRow();
    const QTableWidgetItem *item = row >= 0 ? m_stuckTable->item(row, 0) : nullptr;
    return item ? JobId(item->data(Qt::UserRole).toString()) : JobId();
}

void MonitorPanel::updateStuckButtons()
{
    const bool any = !selectedStuckJob().isNull();
    for (QPushButton *b : {m_stuckCancel, m_stuckRetry, m_stuckKeep})
        b->setEnabled(any);
}

void MonitorPanel::setRateLimited(qint64 retryInMs, RateLimitReason reason)
{
    m_rateAt = QDateTime::currentDateTimeUtc();
    m_rateUntil = m_rateAt.addMSecs(std::max<qint64>(0, retryInMs));
    m_rateReason = reason;
    updateRateLimit();
}

void MonitorPanel::updateRateLimit()
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    QString text;
    if (m_rateUntil.isValid() && now < m_rateUntil) {
        const int seconds = static_cast<int>((now.msecsTo(m_rateUntil) + 999) / 1000);
        text = m_rateReason == RateLimitReason::LowCredit
                   ? tr("Rate limit: your Replicate credit is low, so Replicate allows only 6 new "
                        "predictions a minute — full speed again in %1 s. Add credit to go "
                        "faster.")
                         .arg(seconds)
                   : tr("Rate limit: Replicate asked Brieflow to slow down — resuming in %1 s.")
                         .arg(seconds);
        m_rateLimit->setForegroundRole(QPalette::WindowText);
    } else if (m_rateAt.isValid()) {
        text = tr("Rate limit: not rate limited. Replicate last asked Brieflow to slow down at "
                  "%1.")
                   .arg(monitorformat::when(m_rateAt));
        m_rateLimit->setForegroundRole(QPalette::PlaceholderText);
    } else {
        text = tr("Rate limit: not rate limited.");
        m_rateLimit->setForegroundRole(QPalette::PlaceholderText);
    }
    m_rateLimit->setText(text);
}

void MonitorPanel::updateLag()
{
    if (m_lag)
        m_charts->setLagBuckets(m_lag->coarseBuckets(), m_lag->figures().intervalMs);
}

void MonitorPanel::onFailureActivated(const FailureRow &row)
{
    const QString label =
        tr("From Monitor: %1 · %2 · %3")
            .arg(row.step, MonitorTables::errorTypeLabel(row.errorType),
                 row.model.isEmpty() ? tr("no model") : monitorformat::shortModel(row.model));
    m_loader->findFailureJobs(m_lastQuery, row.step, row.errorType, row.model, label);
}

} // namespace brieflow::ui
