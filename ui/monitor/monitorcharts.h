// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <array>

#include <QDate>
#include <QWidget>

#include "core/monitoring/figures.h"

class QBarCategoryAxis;
class QBarSet;
class QChart;
class QChartView;
class QValueAxis;

namespace brieflow::ui {

/**
 * The Monitoring view's four charts (Qt Charts), two by two: jobs per day (stacked succeeded,
 * failed and other), spend per day, the median time of each step × model with our queue, the
 * provider's queue (starting) and running kept apart, and the GUI's responsiveness (heartbeats
 * per lateness bucket of the LagMonitor). Colours follow the job states; every series also has
 * its name in the legend and axes have titles, so nothing depends on colour alone.
 */
class MonitorCharts final : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MonitorCharts)

public:
    explicit MonitorCharts(QWidget *parent = nullptr);
    ~MonitorCharts() override;

    /** Redraws the day and duration charts; days from @p firstDay to @p lastDay (local) are
     *  shown, those without jobs as zero. */
    void setFigures(const MonitoringFigures &figures, QDate firstDay, QDate lastDay);
    /** Heartbeats per lateness bucket (LagMonitor::coarseBuckets()). */
    void setLagBuckets(const std::array<qint64, 6> &counts, int intervalMs = 0);

    QChart *jobsPerDayChart() const;
    QChart *costPerDayChart() const;
    QChart *durationChart() const;
    QChart *lagChart() const;

    /** Day labels as the charts write them ("3 Mar"). */
    static QString dayLabel(QDate day);
    /** Category labels of the duration chart ("concept · model"). */
    static QString durationLabel(const DurationRow &row);
    /** The lag chart's bucket labels. */
    static QStringList lagLabels();

protected:
    void changeEvent(QEvent *event) override;

private:
    QChartView *makeView(const QString &title);
    void applyTheme(QChart *chart);

    QChartView *m_jobs = nullptr;
    QChartView *m_cost = nullptr;
    QChartView *m_durations = nullptr;
    QChartView *m_lag = nullptr;
    QBarSet *m_lagSet = nullptr; ///< owned by the lag chart's series
    QValueAxis *m_lagAxis = nullptr;
    QBarCategoryAxis *m_lagCategories = nullptr;
};

} // namespace brieflow::ui
