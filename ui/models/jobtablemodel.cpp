// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "jobtablemodel.h"

#include <QColor>
#include <QGuiApplication>
#include <QPalette>

#include "core/app/jobsubmission.h"
#include "core/store/jobstore.h"

namespace brieflow::ui {

JobTableModel::JobTableModel(JobStore &store, QObject *parent)
    : QAbstractTableModel(parent)
    , m_store(store)
{
    reload();
}

int JobTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int JobTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString JobTableModel::statusText(JobStatus status)
{
    // Colour never carries meaning alone: every state has a mark and a word.
    switch (status) {
    case JobStatus::Pending:
        return tr("◷ pending");
    case JobStatus::Processing:
        return tr("● processing");
    case JobStatus::Succeeded:
        return tr("✓ done");
    case JobStatus::Failed:
        return tr("! failed");
    case JobStatus::Canceled:
        return tr("⊘ canceled");
    case JobStatus::NeedsAttention:
        return tr("▲ needs attention");
    }
    return {};
}

namespace {

QColor statusColour(JobStatus status)
{
    const bool dark = QGuiApplication::palette().color(QPalette::Window).lightness() < 128;
    switch (status) {
    case JobStatus::Pending:
    case JobStatus::Canceled:
        return QGuiApplication::palette().color(QPalette::PlaceholderText);
    case JobStatus::Processing:
        return dark ? QColor(0x8a, 0xb4, 0xf8) : QColor(0x1a, 0x56, 0xdb);
    case JobStatus::Succeeded:
        return dark ? QColor(0x81, 0xc9, 0x95) : QColor(0x1e, 0x7b, 0x34);
    case JobStatus::Failed:
        return dark ? QColor(0xf2, 0xb8, 0xb5) : QColor(0xb3, 0x26, 0x1e);
    case JobStatus::NeedsAttention:
        return dark ? QColor(0xfd, 0xd6, 0x63) : QColor(0x9a, 0x67, 0x00);
    }
    return {};
}

} // namespace

QVariant JobTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &row = m_rows.at(index.row());
    const JobRecord &job = row.job;

    if (role == JobIdRole)
        return job.id.toString();
    if (role == RawValueRole) {
        switch (index.column()) {
        case Product:
            return row.product;
        case Status:
            return static_cast<int>(job.status);
        case Step:
            return job.currentStep;
        case Created:
            return job.createdAt;
        default:
            return {};
        }
    }
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case Product:
            return row.product;
        case Status:
            return statusText(job.status);
        case Step:
            return job.currentStep.isEmpty() ? QStringLiteral("—") : job.currentStep;
        case Created:
            return QLocale().toString(job.createdAt.toLocalTime(), QLocale::ShortFormat);
        default:
            return {};
        }
    }
    if (role == Qt::ForegroundRole && index.column() == Status)
        return statusColour(job.status);
    if (role == Qt::ToolTipRole && !job.errorMessage.isEmpty())
        return job.errorMessage;
    return {};
}

QVariant JobTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Product:
        return tr("Product");
    case Status:
        return tr("Status");
    case Step:
        return tr("Step");
    case Created:
        return tr("Created");
    default:
        return {};
    }
}

void JobTableModel::reload()
{
    JobQuery query;
    query.limit = 1000;
    auto jobs = m_store.jobs(query);
    if (!jobs) {
        m_lastError = jobs.error().message;
        Q_EMIT reloadFailed(m_lastError);
        return;
    }
    m_lastError.clear();
    QList<Row> rows;
    rows.reserve(jobs->size());
    for (const JobRecord &job : jobs.value()) {
        const auto brief = briefOfJob(job);
        rows.append({job, brief ? brief->productName : tr("(unreadable brief)")});
    }
    beginResetModel();
    m_rows = std::move(rows);
    endResetModel();
}

} // namespace brieflow::ui
