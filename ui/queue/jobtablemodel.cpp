// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "jobtablemodel.h"

#include <algorithm>
#include <utility>

#include <QElapsedTimer>
#include <QGuiApplication>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QMimeData>
#include <QScopedValueRollback>
#include <QSet>
#include <QTimer>

#include "core/monitoring/eta.h"
#include "core/store/jobstore.h"
#include "core/workflow/workflow.h"
#include "ui/queue/jobestimates.h"
#include "ui/queue/jobstatusstyle.h"
#include "ui/queue/thumbnailcache.h"

namespace brieflow::ui {

namespace {

QString productOf(const JobRecord &job)
{
    const QJsonObject brief = QJsonDocument::fromJson(job.inputPayload).object();
    const QString name = brief.value(QStringLiteral("product_name")).toString();
    return name.isEmpty() ? JobTableModel::tr("(no product name)") : name;
}

bool isQueued(JobStatus status)
{
    return status == JobStatus::Pending || status == JobStatus::Processing;
}

int thumbnailPixels()
{
    const qreal ratio = qGuiApp ? qGuiApp->devicePixelRatio() : 1.0;
    return qRound(JobTableModel::thumbnailEdge * qMax<qreal>(1.0, ratio));
}

} // namespace

JobTableModel::JobTableModel(JobStore &store, QObject *parent)
    : QAbstractTableModel(parent)
    , m_store(store)
{
    if (const auto workflow = builtinWorkflow(defaultWorkflowId())) {
        for (const StepDefinition &step : workflow->steps)
            m_stepTitles.insert(step.name, step.title);
    }
    m_query.limit = pageSize;
    m_refreshTimer = new QTimer(this);
    m_refreshTimer->setSingleShot(true);
    m_refreshTimer->setInterval(refreshIntervalMs);
    connect(m_refreshTimer, &QTimer::timeout, this, &JobTableModel::onRefreshTimer);
    m_resyncTimer = new QTimer(this);
    m_resyncTimer->setSingleShot(true);
    connect(m_resyncTimer, &QTimer::timeout, this, &JobTableModel::runPendingResync);
    m_etaTimer = new QTimer(this);
    m_etaTimer->setSingleShot(true);
    m_etaTimer->setInterval(etaIntervalMs);
    connect(m_etaTimer, &QTimer::timeout, this, &JobTableModel::updateEstimates);
    reload();
}

JobTableModel::~JobTableModel() = default;

void JobTableModel::setThumbnailCache(ThumbnailCache *cache)
{
    if (ThumbnailCache *old = m_thumbnails.data())
        disconnect(old, nullptr, this, nullptr);
    m_thumbnails = cache;
    if (cache) {
        connect(cache, &ThumbnailCache::thumbnailReady, this,
                [this](const QString &sha256, int) { onThumbnailReady(sha256); });
    }
    if (!m_rows.isEmpty())
        Q_EMIT dataChanged(index(0, Thumbnail), index(rowCount() - 1, Thumbnail));
}

void JobTableModel::setStatusFilter(std::optional<JobStatus> status)
{
    if (m_query.status == status)
        return;
    m_query.status = status;
    reload();
}

void JobTableModel::setTextFilter(const QString &text)
{
    const QString trimmed = text.trimmed();
    if (m_query.text == trimmed)
        return;
    m_query.text = trimmed;
    reload();
}

void JobTableModel::setIdFilter(const QList<JobId> &ids)
{
    if (m_query.ids == ids)
        return;
    m_query.ids = ids;
    reload();
}

bool JobTableModel::isInQueueOrder() const
{
    if (m_query.sort == JobSort::QueuePosition)
        return !m_query.descending;
    return m_query.sort == JobSort::Default && (!m_query.status || isQueued(*m_query.status));
}

JobId JobTableModel::jobId(int row) const
{
    return row >= 0 && row < m_rows.size() ? m_rows.at(row).job.id : JobId();
}

int JobTableModel::rowOf(const JobId &id) const
{
    return m_index.value(id, -1);
}

const JobRecord *JobTableModel::jobAt(int row) const
{
    return row >= 0 && row < m_rows.size() ? &m_rows.at(row).job : nullptr;
}

QString JobTableModel::statusText(JobStatus status)
{
    return statusWord(status);
}

bool JobTableModel::isSortable(int column)
{
    return column == Product || column == Status || column == Created;
}

int JobTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int JobTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString JobTableModel::stepTitle(const QString &name) const
{
    return m_stepTitles.value(name, name);
}

qint64 JobTableModel::durationMs(const Row &row) const
{
    const QDateTime start = row.progress.firstStartedAt;
    if (!start.isValid())
        return -1;
    QDateTime end =
        row.progress.lastCompletedAt.isValid() ? row.progress.lastCompletedAt : row.job.updatedAt;
    if (isQueued(row.job.status))
        end = QDateTime::currentDateTimeUtc(); // still running: the time so far
    return qMax<qint64>(0, start.msecsTo(end));
}

QVariant JobTableModel::rawData(const Row &row, int column) const
{
    const JobRecord &job = row.job;
    switch (column) {
    case Thumbnail:
        return row.thumbnail.filePath;
    case Product:
        return row.product;
    case Status:
        return static_cast<int>(job.status);
    case Step:
        return job.currentStep;
    case Progress:
        return row.progress.steps > 0
                   ? static_cast<double>(row.progress.stepsSucceeded) / row.progress.steps
                   : 0.0;
    case Attempts:
        return row.progress.maxAttempts;
    case Created:
        return job.createdAt;
    case Duration:
        return durationMs(row);
    default:
        return {};
    }
}

QVariant JobTableModel::displayData(const Row &row, int column) const
{
    const JobRecord &job = row.job;
    switch (column) {
    case Product:
        return row.product;
    case Status:
        return job.isStuck() ? stuckWord() : statusWord(job.status);
    case Step:
        if (job.status == JobStatus::Succeeded || job.currentStep.isEmpty())
            return QStringLiteral("—");
        return stepTitle(job.currentStep);
    case Progress:
        return tr("%1 of %2").arg(row.progress.stepsSucceeded).arg(row.progress.steps);
    case Attempts:
        return row.progress.maxAttempts > 0 ? QString::number(row.progress.maxAttempts)
                                            : QStringLiteral("—");
    case Created:
        return formatRelativeTime(job.createdAt, QDateTime::currentDateTimeUtc());
    case Duration: {
        const qint64 ms = durationMs(row);
        return ms < 0 ? QStringLiteral("—") : formatDuration(ms);
    }
    default:
        return {};
    }
}

QVariant JobTableModel::toolTipData(const Row &row, int column) const
{
    const JobRecord &job = row.job;
    switch (column) {
    case Status: {
        QString tip;
        if (job.isStuck())
            tip = tr("Stuck: %1").arg(job.stuckReason);
        else if (!job.errorMessage.isEmpty())
            tip = job.errorMessage;
        else if (job.runAfter.isValid() && isQueued(job.status))
            tip = tr("Trying again at %1")
                      .arg(QLocale().toString(job.runAfter.toLocalTime().time(),
                                              QLocale::ShortFormat));
        else
            tip = statusWord(job.status);
        const auto eta = m_etas.constFind(job.id);
        if (isQueued(job.status) && eta != m_etas.cend()) {
            QString line;
            if (m_queuePaused)
                line = tr("Done in: the queue is paused; nothing new starts until you resume "
                          "it.");
            else if (!eta->ms)
                line = tr("Done in: no estimate yet — Brieflow needs a finished job with these "
                          "models first.");
            else if (eta->ahead == 0)
                line = tr("Done in %1.").arg(formatEta(eta->ms));
            else
                line = eta->ahead == 1
                           ? tr("Done in %1: 1 job ahead of it.").arg(formatEta(eta->ms))
                           : tr("Done in %1: %2 jobs ahead of it.")
                                 .arg(formatEta(eta->ms))
                                 .arg(eta->ahead);
            tip += QLatin1Char('\n') + line;
        }
        return tip;
    }
    case Progress:
        return tr("%1 of %2 steps done").arg(row.progress.stepsSucceeded).arg(row.progress.steps);
    case Attempts:
        return tr("The most tries any step of this job needed");
    case Created:
        return QLocale().toString(job.createdAt.toLocalTime(), QLocale::LongFormat);
    case Thumbnail:
        return row.thumbnail.filePath.isEmpty() ? tr("No image yet") : row.thumbnail.filePath;
    default:
        return displayData(row, column);
    }
}

QVariant JobTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &row = m_rows.at(index.row());
    const int column = index.column();
    switch (role) {
    case JobIdRole:
        return row.job.id.toString();
    case JobStatusRole:
        return static_cast<int>(row.job.status);
    case StuckReasonRole:
        return row.job.stuckReason;
    case ProgressRole:
        return rawData(row, Progress);
    case EtaTextRole:
        return etaText(row);
    case EtaMsRole: {
        const auto eta = m_etas.constFind(row.job.id);
        if (!isQueued(row.job.status) || m_queuePaused || eta == m_etas.cend() || !eta->ms)
            return {};
        return *eta->ms;
    }
    case JobsAheadRole: {
        const auto eta = m_etas.constFind(row.job.id);
        if (!isQueued(row.job.status) || eta == m_etas.cend())
            return {};
        return eta->ahead;
    }
    case RawValueRole:
        return rawData(row, column);
    case Qt::DisplayRole:
        return displayData(row, column);
    case Qt::AccessibleTextRole:
        if (const auto eta = m_etas.constFind(row.job.id);
            column == Status && isQueued(row.job.status) && eta != m_etas.cend()) {
            return eta->ms && !m_queuePaused
                       ? tr("%1, done in %2")
                             .arg(displayData(row, column).toString(), formatEta(eta->ms))
                       : tr("%1, %2").arg(displayData(row, column).toString(), etaText(row));
        }
        return column == Thumbnail ? tr("Thumbnail of %1").arg(row.product)
                                   : displayData(row, column);
    case Qt::ToolTipRole:
        return toolTipData(row, column);
    case Qt::DecorationRole:
        if (column == Status)
            return row.job.isStuck() ? stuckIcon() : statusIcon(row.job.status);
        if (ThumbnailCache *cache = m_thumbnails.data();
            column == Thumbnail && cache && !row.thumbnail.filePath.isEmpty()) {
            const qreal ratio = qGuiApp ? qMax<qreal>(1.0, qGuiApp->devicePixelRatio()) : 1.0;
            QImage image =
                cache->thumbnail(row.thumbnail.filePath, row.thumbnail.sha256, thumbnailPixels());
            if (image.isNull())
                return {};
            image.setDevicePixelRatio(ratio);
            return image;
        }
        return {};
    case Qt::SizeHintRole:
        if (column == Thumbnail)
            return QSize(thumbnailEdge + 8, thumbnailEdge + 6);
        return {};
    case Qt::TextAlignmentRole:
        if (column == Attempts || column == Duration)
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    default:
        return {};
    }
}

QVariant JobTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
        return {};
    if (role == Qt::ToolTipRole && !isSortable(section) && section != Thumbnail)
        return tr("Click to show the queue in its running order");
    if (role != Qt::DisplayRole && role != Qt::AccessibleTextRole)
        return {};
    switch (section) {
    case Thumbnail:
        return role == Qt::DisplayRole ? QString() : tr("Thumbnail");
    case Product:
        return tr("Product");
    case Status:
        return tr("Status");
    case Step:
        return tr("Step");
    case Progress:
        return tr("Progress");
    case Attempts:
        return tr("Tries");
    case Created:
        return tr("Created");
    case Duration:
        return tr("Duration");
    default:
        return {};
    }
}

Qt::ItemFlags JobTableModel::flags(const QModelIndex &index) const
{
    const bool reorderable = m_writer && isInQueueOrder();
    if (!index.isValid())
        return reorderable ? Qt::ItemIsDropEnabled : Qt::NoItemFlags;
    Qt::ItemFlags f = QAbstractTableModel::flags(index) | Qt::ItemNeverHasChildren;
    if (reorderable) {
        const JobStatus status = m_rows.at(index.row()).job.status;
        if (status == JobStatus::Pending)
            f |= Qt::ItemIsDragEnabled;
        if (isQueued(status))
            f |= Qt::ItemIsDropEnabled;
    }
    return f;
}

void JobTableModel::sort(int column, Qt::SortOrder order)
{
    JobSort sort = JobSort::Default;
    if (column == Product)
        sort = JobSort::Product;
    else if (column == Status)
        sort = JobSort::Status;
    else if (column == Created)
        sort = JobSort::Created;
    const bool descending = sort != JobSort::Default && order == Qt::DescendingOrder;
    if (m_query.sort == sort && m_query.descending == descending)
        return;
    m_query.sort = sort;
    m_query.descending = descending;
    reload();
}

bool JobTableModel::failed(const QString &message)
{
    m_lastError = message;
    Q_EMIT reloadFailed(message);
    return false;
}

void JobTableModel::setTotal(int total)
{
    if (total == m_total)
        return;
    m_total = total;
    Q_EMIT totalCountChanged(total);
}

void JobTableModel::rebuildIndex()
{
    m_index.clear();
    m_index.reserve(m_rows.size());
    for (int i = 0; i < m_rows.size(); ++i)
        m_index.insert(m_rows.at(i).job.id, i);
}

bool JobTableModel::readRows(const QList<JobRecord> &jobs, QList<Row> &rows)
{
    QList<JobId> ids;
    ids.reserve(jobs.size());
    for (const JobRecord &job : jobs)
        ids << job.id;
    const auto progress = m_store.jobProgress(ids);
    if (!progress)
        return failed(progress.error().message);
    const auto thumbnails = m_store.firstImageOutputs(ids);
    if (!thumbnails)
        return failed(thumbnails.error().message);
    rows.reserve(rows.size() + jobs.size());
    for (const JobRecord &job : jobs)
        rows.append({job, productOf(job), progress->value(job.id), thumbnails->value(job.id)});
    m_lastError.clear();
    return true;
}

void JobTableModel::reload()
{
    const QScopedValueRollback changing(m_changing, true);
    m_pendingMoves.clear(); // everything is read again
    QList<Row> rows;
    const auto total = m_store.countJobs(m_query);
    if (!total) {
        failed(total.error().message);
        return;
    }
    JobQuery first = m_query;
    first.offset = 0;
    first.limit = pageSize;
    const auto jobs = m_store.jobs(first);
    if (!jobs) {
        failed(jobs.error().message);
        return;
    }
    if (!readRows(jobs.value(), rows))
        return;
    beginResetModel();
    m_rows = std::move(rows);
    rebuildIndex();
    endResetModel();
    setTotal(qMax(*total, static_cast<int>(m_rows.size())));
    updateEstimates();
}

bool JobTableModel::canFetchMore(const QModelIndex &parent) const
{
    return !parent.isValid() && !m_changing && m_rows.size() < m_total;
}

void JobTableModel::fetchMore(const QModelIndex &parent)
{
    if (parent.isValid() || m_changing)
        return;
    const QScopedValueRollback changing(m_changing, true);
    JobQuery page = m_query;
    page.offset = static_cast<int>(m_rows.size());
    page.limit = pageSize;
    const auto jobs = m_store.jobs(page);
    if (!jobs) {
        failed(jobs.error().message);
        return;
    }
    QList<JobRecord> fresh;
    for (const JobRecord &job : jobs.value()) {
        // The queue may have moved under us since the last page: never show a job twice.
        if (!m_index.contains(job.id))
            fresh << job;
    }
    if (jobs->size() < pageSize)
        setTotal(static_cast<int>(m_rows.size() + fresh.size()));
    if (fresh.isEmpty()) {
        if (jobs->isEmpty())
            setTotal(static_cast<int>(m_rows.size()));
        return;
    }
    QList<Row> rows;
    if (!readRows(fresh, rows))
        return;
    const int first = static_cast<int>(m_rows.size());
    beginInsertRows({}, first, first + static_cast<int>(rows.size()) - 1);
    for (Row &row : rows) {
        m_index.insert(row.job.id, static_cast<int>(m_rows.size()));
        m_rows.append(std::move(row));
    }
    endInsertRows();
    scheduleEstimates();
}

void JobTableModel::updateTimes()
{
    if (!m_rows.isEmpty())
        Q_EMIT dataChanged(index(0, Created), index(rowCount() - 1, Duration),
                           {Qt::DisplayRole, Qt::ToolTipRole});
    updateEstimates();
}

void JobTableModel::onThumbnailReady(const QString &sha256)
{
    for (int i = 0; i < m_rows.size(); ++i) {
        if (m_rows.at(i).thumbnail.sha256 == sha256)
            Q_EMIT dataChanged(index(i, Thumbnail), index(i, Thumbnail), {Qt::DecorationRole});
    }
}

QStringList JobTableModel::mimeTypes() const
{
    return {QLatin1String(mimeType)};
}

QMimeData *JobTableModel::mimeData(const QModelIndexList &indexes) const
{
    QList<int> rows;
    for (const QModelIndex &index : indexes) {
        if (index.isValid() && !rows.contains(index.row()))
            rows << index.row();
    }
    std::sort(rows.begin(), rows.end());
    QStringList ids;
    for (const int row : rows) {
        if (m_rows.at(row).job.status == JobStatus::Pending)
            ids << m_rows.at(row).job.id.toString();
    }
    if (ids.isEmpty())
        return nullptr;
    auto *data = new QMimeData;
    data->setData(QLatin1String(mimeType), ids.join(QLatin1Char('\n')).toUtf8());
    return data;
}

bool JobTableModel::canDropMimeData(const QMimeData *data, Qt::DropAction action, int row,
                                    int column, const QModelIndex &parent) const
{
    Q_UNUSED(row)
    Q_UNUSED(column)
    if (!data || action != Qt::MoveAction || !m_writer || !isInQueueOrder()
        || !data->hasFormat(QLatin1String(mimeType)))
        return false;
    return !parent.isValid() || isQueued(m_rows.at(parent.row()).job.status);
}

bool JobTableModel::dropMimeData(const QMimeData *data, Qt::DropAction action, int row, int column,
                                 const QModelIndex &parent)
{
    if (!canDropMimeData(data, action, row, column, parent))
        return false;
    QList<JobId> moving;
    const QList<QByteArray> lines = data->data(QLatin1String(mimeType)).split('\n');
    for (const QByteArray &line : lines) {
        if (!line.isEmpty())
            moving << JobId(QString::fromUtf8(line));
    }
    if (moving.isEmpty())
        return false;
    // Dropped on a row: before it. Between rows: before the row below. Past the last queued
    // job (or on none): to the end of the queue.
    int target = parent.isValid() ? parent.row() : row;
    while (target >= 0 && target < m_rows.size() && moving.contains(m_rows.at(target).job.id))
        ++target;
    JobId before;
    if (target >= 0 && target < m_rows.size() && isQueued(m_rows.at(target).job.status))
        before = m_rows.at(target).job.id;
    const auto moved = m_writer->moveJobsBefore(moving, before);
    if (!moved)
        return failed(moved.error().message);
    resync();
    Q_EMIT jobsReordered(moving);
    return true;
}

Qt::DropActions JobTableModel::supportedDropActions() const
{
    return Qt::MoveAction;
}

Qt::DropActions JobTableModel::supportedDragActions() const
{
    return Qt::MoveAction;
}

JobTableModel::FirstPageTiming JobTableModel::measureFirstPage(JobStore &store,
                                                               const JobQuery &query)
{
    QElapsedTimer timer;
    timer.start();
    JobTableModel model(store);
    if (query.status || !query.text.isEmpty() || query.sort != JobSort::Default) {
        timer.restart();
        model.m_query = query;
        model.m_query.limit = pageSize;
        model.reload();
    }
    FirstPageTiming timing;
    timing.nsecs = timer.nsecsElapsed();
    timing.rows = model.rowCount();
    timing.total = model.totalCount();
    return timing;
}

} // namespace brieflow::ui
