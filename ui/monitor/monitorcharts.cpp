// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/monitor/monitorcharts.h"

#include <algorithm>
#include <cmath>

#include <QEvent>
#include <QGridLayout>
#include <QHash>
#include <QLocale>
#include <QtCharts/QBarCategoryAxis>
#include <QtCharts/QBarSeries>
#include <QtCharts/QBarSet>
#include <QtCharts/QChart>
#include <QtCharts/QChartView>
#include <QtCharts/QHorizontalStackedBarSeries>
#include <QtCharts/QLegend>
#include <QtCharts/QStackedBarSeries>
#include <QtCharts/QValueAxis>

#include "ui/monitor/monitorformat.h"

namespace brieflow::ui {

namespace {

using monitorformat::tr;

// Job-state colours of docs/ui.md (light theme), and three calm tones for the time split.
const QColor succeededColor(0x2e, 0x7d, 0x32);
const QColor failedColor(0xc6, 0x28, 0x28);
const QColor otherColor(0x9e, 0x9e, 0x9e);
const QColor costColor(0x00, 0x79, 0x6b);
const QColor queueColor(0xb0, 0xbe, 0xc5);
const QColor startingColor(0xff, 0xb7, 0x4d);
const QColor runningColor(0x1e, 0x88, 0xe5);
const QColor lagColor(0x5c, 0x6b, 0xc0);

/** The day charts show at most this many days (the newest). */
constexpr int maxDays = 62;

void clearChart(QChart *chart)
{
    chart->removeAllSeries();
    const auto axes = chart->axes();
    for (QAbstractAxis *axis : axes) {
        chart->removeAxis(axis);
        delete axis;
    }
}

QBarSet *barSet(const QString &name, const QColor &color)
{
    auto *set = new QBarSet(name);
    set->setColor(color);
    set->setBorderColor(color);
    return set;
}

/** 1, 2 or 5 × 10^k at or above @p x: ticks people read at a glance. */
double niceStep(double x)
{
    const double power = std::pow(10.0, std::floor(std::log10(std::max(1.0, x))));
    for (double m : {1.0, 2.0, 5.0, 10.0}) {
        if (m * power >= x)
            return m * power;
    }
    return 10 * power;
}

/** A value axis from 0 with whole-number ticks when @p integers. */
QValueAxis *valueAxis(const QString &title, double max, bool integers)
{
    auto *axis = new QValueAxis;
    axis->setTitleText(title);
    axis->setMin(0);
    if (integers) {
        const double step = niceStep(std::ceil(std::max(1.0, max) / 5));
        axis->setMax(step * std::ceil(std::max(1.0, max) / step));
        axis->setTickType(QValueAxis::TicksDynamic);
        axis->setTickAnchor(0);
        axis->setTickInterval(step);
        axis->setLabelFormat(QStringLiteral("%d"));
    } else {
        axis->setMax(max > 0 ? max * 1.1 : 1.0);
        axis->applyNiceNumbers();
    }
    axis->setGridLineColor(QColor(0, 0, 0, 28));
    return axis;
}

QBarCategoryAxis *categoryAxis(const QString &title, const QStringList &categories)
{
    auto *axis = new QBarCategoryAxis;
    axis->setTitleText(title);
    axis->append(categories);
    axis->setGridLineVisible(false);
    if (categories.size() > 10)
        axis->setLabelsAngle(-90);
    return axis;
}

} // namespace

MonitorCharts::MonitorCharts(QWidget *parent)
    : QWidget(parent)
{
    auto *grid = new QGridLayout(this);
    grid->setContentsMargins(0, 0, 0, 0);
    grid->setSpacing(16);
    m_jobs = makeView(tr("Jobs per day"));
    m_cost = makeView(tr("Spend per day"));
    m_durations = makeView(tr("Median time per step"));
    m_lag = makeView(tr("App responsiveness"));
    m_jobs->setObjectName(QStringLiteral("jobsPerDayChart"));
    m_cost->setObjectName(QStringLiteral("costPerDayChart"));
    m_durations->setObjectName(QStringLiteral("durationChart"));
    m_lag->setObjectName(QStringLiteral("lagChart"));
    grid->addWidget(m_jobs, 0, 0);
    grid->addWidget(m_cost, 0, 1);
    grid->addWidget(m_durations, 1, 0);
    grid->addWidget(m_lag, 1, 1);
    grid->setColumnStretch(0, 1);
    grid->setColumnStretch(1, 1);
    setLagBuckets({});
}

MonitorCharts::~MonitorCharts() = default;

QChart *MonitorCharts::jobsPerDayChart() const
{
    return m_jobs->chart();
}
QChart *MonitorCharts::costPerDayChart() const
{
    return m_cost->chart();
}
QChart *MonitorCharts::durationChart() const
{
    return m_durations->chart();
}
QChart *MonitorCharts::lagChart() const
{
    return m_lag->chart();
}

QChartView *MonitorCharts::makeView(const QString &title)
{
    auto *chart = new QChart;
    chart->setTitle(title);
    chart->setAnimationOptions(QChart::NoAnimation);
    chart->setMargins(QMargins(4, 4, 4, 4));
    chart->legend()->setAlignment(Qt::AlignBottom);
    applyTheme(chart);
    auto *view = new QChartView(chart, this);
    view->setRenderHint(QPainter::Antialiasing);
    view->setMinimumHeight(280);
    view->setFrameShape(QFrame::NoFrame);
    view->setAccessibleName(title);
    return view;
}

void MonitorCharts::applyTheme(QChart *chart)
{
    const QPalette pal = palette();
    const bool dark = pal.color(QPalette::Window).lightness() < 128;
    chart->setTheme(dark ? QChart::ChartThemeDark : QChart::ChartThemeLight);
    chart->setBackgroundBrush(pal.color(QPalette::Base));
    chart->setBackgroundPen(Qt::NoPen);
    chart->setBackgroundRoundness(8);
    chart->setDropShadowEnabled(false);
    QFont title = font();
    title.setBold(true);
    chart->setTitleFont(title);
    chart->setTitleBrush(pal.color(QPalette::Text));
    chart->legend()->setLabelColor(pal.color(QPalette::Text));
}

void MonitorCharts::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange) {
        for (QChartView *view : {m_jobs, m_cost, m_durations, m_lag}) {
            if (view)
                applyTheme(view->chart());
        }
    }
}

QString MonitorCharts::dayLabel(QDate day)
{
    return QLocale().toString(day, QStringLiteral("d MMM"));
}

QString MonitorCharts::durationLabel(const DurationRow &row)
{
    return QStringLiteral("%1 · %2").arg(row.step, monitorformat::shortModel(row.model));
}

QStringList MonitorCharts::lagLabels()
{
    return {tr("0–1 ms"),   tr("1–4 ms"),    tr("4–16 ms"),
            tr("16–50 ms"), tr("50–100 ms"), tr("≥ 100 ms")};
}

void MonitorCharts::setFigures(const MonitoringFigures &figures, QDate firstDay, QDate lastDay)
{
    // Days: every day of the range, so gaps show as gaps.
    if (!lastDay.isValid())
        lastDay = QDate::currentDate();
    if (!firstDay.isValid() || firstDay > lastDay)
        firstDay = lastDay;
    if (firstDay.daysTo(lastDay) >= maxDays)
        firstDay = lastDay.addDays(-(maxDays - 1));
    QHash<QDate, DayFigures> byDay;
    for (const DayFigures &d : figures.days)
        byDay.insert(d.day, d);
    QStringList days;
    auto *succeeded = barSet(tr("Succeeded"), succeededColor);
    auto *failed = barSet(tr("Failed"), failedColor);
    auto *other = barSet(tr("Other (running, canceled, waiting)"), otherColor);
    auto *spend = barSet(tr("Spend"), costColor);
    double maxJobs = 0;
    double maxSpend = 0;
    for (QDate d = firstDay; d <= lastDay; d = d.addDays(1)) {
        const DayFigures f = byDay.value(d);
        days << dayLabel(d);
        *succeeded << f.succeeded;
        *failed << f.failed;
        *other << std::max(0, f.created - f.succeeded - f.failed);
        *spend << f.costUsd;
        maxJobs = std::max<double>(maxJobs, f.created);
        maxSpend = std::max(maxSpend, f.costUsd);
    }

    QChart *jobs = m_jobs->chart();
    clearChart(jobs);
    auto *stack = new QStackedBarSeries;
    stack->setBarWidth(days.size() < 4 ? 0.35 : 0.8);
    stack->append({succeeded, failed, other});
    jobs->addSeries(stack);
    QAbstractAxis *x = categoryAxis(tr("Day created"), days);
    QAbstractAxis *y = valueAxis(tr("Jobs"), maxJobs, true);
    jobs->addAxis(x, Qt::AlignBottom);
    jobs->addAxis(y, Qt::AlignLeft);
    stack->attachAxis(x);
    stack->attachAxis(y);

    QChart *cost = m_cost->chart();
    clearChart(cost);
    auto *bars = new QBarSeries;
    bars->setBarWidth(days.size() < 4 ? 0.35 : 0.8);
    bars->append(spend);
    cost->addSeries(bars);
    cost->legend()->setVisible(false);
    x = categoryAxis(tr("Day"), days);
    auto *usd = valueAxis(tr("US dollars"), maxSpend, false);
    usd->setLabelFormat(maxSpend >= 10 ? QStringLiteral("$%.0f") : QStringLiteral("$%.2f"));
    cost->addAxis(x, Qt::AlignBottom);
    cost->addAxis(usd, Qt::AlignLeft);
    bars->attachAxis(x);
    bars->attachAxis(usd);

    // Durations: medians of the three parts, stacked, one bar per step × model.
    QChart *durations = m_durations->chart();
    clearChart(durations);
    QStringList rows;
    auto *queue = barSet(tr("Waiting in Brieflow's queue"), queueColor);
    auto *starting = barSet(tr("Starting at the provider"), startingColor);
    auto *running = barSet(tr("Running"), runningColor);
    double maxSeconds = 0;
    // Bottom-up in a horizontal chart: the workflow's first step on top.
    for (auto it = figures.durations.crbegin(); it != figures.durations.crend(); ++it) {
        rows << durationLabel(*it);
        const double q = static_cast<double>(it->queue.p50Ms) / 1000.0;
        const double s = static_cast<double>(it->starting.p50Ms) / 1000.0;
        const double r = static_cast<double>(it->running.p50Ms) / 1000.0;
        *queue << q;
        *starting << s;
        *running << r;
        maxSeconds = std::max(maxSeconds, q + s + r);
    }
    auto *hbars = new QHorizontalStackedBarSeries;
    hbars->append({queue, starting, running});
    durations->addSeries(hbars);
    durations->setTitle(rows.isEmpty() ? tr("Median time per step — no finished steps yet")
                                       : tr("Median time per step"));
    auto *steps = new QBarCategoryAxis;
    steps->append(rows);
    steps->setGridLineVisible(false);
    auto *seconds = valueAxis(tr("Seconds (medians)"), maxSeconds, false);
    durations->addAxis(steps, Qt::AlignLeft);
    durations->addAxis(seconds, Qt::AlignBottom);
    hbars->attachAxis(steps);
    hbars->attachAxis(seconds);
}

void MonitorCharts::setLagBuckets(const std::array<qint64, 6> &counts, int intervalMs)
{
    // The counts go in the labels: a bucket of 3 beats is invisible next to one of 4,000.
    double max = 0;
    QStringList labels;
    const QStringList names = lagLabels();
    for (size_t i = 0; i < counts.size(); ++i) {
        max = std::max(max, static_cast<double>(counts[i]));
        labels << QStringLiteral("%1<br>%2")
                      .arg(names.value(static_cast<qsizetype>(i)))
                      .arg(counts[i]);
    }
    QChart *chart = m_lag->chart();
    chart->setTitle(intervalMs > 0
                        ? tr("App responsiveness (a heartbeat every %1 ms)").arg(intervalMs)
                        : tr("App responsiveness"));
    if (m_lagSet) {
        // Every second while visible: values in place, no new series (no flicker).
        for (int i = 0; i < static_cast<int>(counts.size()); ++i)
            m_lagSet->replace(i, static_cast<double>(counts[static_cast<size_t>(i)]));
        m_lagCategories->setCategories(labels);
        const double step = niceStep(std::ceil(std::max(1.0, max * 1.1) / 5));
        m_lagAxis->setMax(step * std::ceil(std::max(1.0, max * 1.1) / step));
        m_lagAxis->setTickInterval(step);
        return;
    }
    clearChart(chart);
    m_lagSet = barSet(tr("Heartbeats"), lagColor);
    for (qint64 c : counts)
        *m_lagSet << static_cast<double>(c);
    auto *series = new QBarSeries;
    series->append(m_lagSet);
    chart->addSeries(series);
    chart->legend()->setVisible(false);
    m_lagCategories = categoryAxis(tr("How late the window answered: heartbeats"), labels);
    m_lagAxis = valueAxis(tr("Heartbeats"), max * 1.1, true);
    chart->addAxis(m_lagCategories, Qt::AlignBottom);
    chart->addAxis(m_lagAxis, Qt::AlignLeft);
    series->attachAxis(m_lagCategories);
    series->attachAxis(m_lagAxis);
}

} // namespace brieflow::ui
