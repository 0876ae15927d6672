// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "gallerymodel.h"

#include <QGuiApplication>
#include <QLocale>
#include <QScopedValueRollback>
#include <QSet>
#include <QSize>
#include <QTimer>

#include "core/store/jobstore.h"
#include "ui/queue/jobstatusstyle.h"
#include "ui/queue/thumbnailcache.h"

namespace brieflow::ui {

namespace {

qreal pixelRatio()
{
    return qGuiApp ? qMax<qreal>(1.0, qGuiApp->devicePixelRatio()) : 1.0;
}

QString formatBytes(qint64 bytes)
{
    return QLocale().formattedDataSize(bytes, 1, QLocale::DataSizeTraditionalFormat);
}

} // namespace

GalleryModel::GalleryModel(JobStore &store, QObject *parent)
    : QAbstractListModel(parent)
    , m_store(store)
{
    m_query.limit = pageSize;
    m_refreshTimer = new QTimer(this);
    m_refreshTimer->setSingleShot(true);
    m_refreshTimer->setInterval(refreshIntervalMs);
    connect(m_refreshTimer, &QTimer::timeout, this, &GalleryModel::resync);
    reload();
}

GalleryModel::~GalleryModel() = default;

void GalleryModel::setThumbnailCache(ThumbnailCache *cache)
{
    if (ThumbnailCache *old = m_thumbnails.data())
        disconnect(old, nullptr, this, nullptr);
    m_thumbnails = cache;
    if (cache)
        connect(cache, &ThumbnailCache::thumbnailReady, this, &GalleryModel::onThumbnailReady);
    if (!m_items.isEmpty())
        Q_EMIT dataChanged(index(0), index(rowCount() - 1), {Qt::DecorationRole});
}

bool GalleryModel::isFiltered(const GalleryQuery &q)
{
    return !q.text.isEmpty() || !q.product.isEmpty() || !q.model.isEmpty() || q.from.isValid()
           || q.to.isValid() || q.status.has_value() || q.starredOnly;
}

void GalleryModel::setQuery(const GalleryQuery &query)
{
    GalleryQuery next = query;
    next.text = next.text.trimmed();
    next.limit = pageSize;
    next.offset = 0;
    const GalleryQuery &q = m_query;
    if (q.text == next.text && q.product == next.product && q.model == next.model
        && q.from == next.from && q.to == next.to && q.status == next.status
        && q.starredOnly == next.starredOnly)
        return;
    m_query = next;
    reload();
}

const GalleryItem *GalleryModel::itemAt(int row) const
{
    return row >= 0 && row < m_items.size() ? &m_items.at(row) : nullptr;
}

OutputId GalleryModel::outputId(int row) const
{
    const GalleryItem *item = itemAt(row);
    return item ? item->output.id : OutputId();
}

int GalleryModel::rowOf(const OutputId &id) const
{
    return m_index.value(id, -1);
}

QList<GalleryItem> GalleryModel::itemsAt(QList<int> rows) const
{
    std::sort(rows.begin(), rows.end());
    rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
    QList<GalleryItem> items;
    for (const int row : std::as_const(rows)) {
        if (const GalleryItem *item = itemAt(row))
            items << *item;
    }
    return items;
}

bool GalleryModel::hasPendingRefresh() const
{
    return m_refreshTimer->isActive();
}

int GalleryModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_items.size());
}

int GalleryModel::thumbnailPixels() const
{
    return qRound(thumbnailEdge * pixelRatio());
}

QString GalleryModel::toolTip(const GalleryItem &item) const
{
    QStringList lines;
    lines << tr("%1 — image %2").arg(item.productName).arg(item.indexInJob);
    if (!item.modelRef.isEmpty())
        lines << tr("Model: %1").arg(item.modelRef);
    if (item.output.width > 0 && item.output.height > 0)
        lines << tr("%1 × %2 px, %3")
                     .arg(item.output.width)
                     .arg(item.output.height)
                     .arg(formatBytes(item.output.bytes));
    lines << tr("Created %1")
                 .arg(
                     QLocale().toString(item.output.createdAt.toLocalTime(), QLocale::ShortFormat));
    if (item.jobStatus != JobStatus::Succeeded)
        lines << tr("Job: %1").arg(statusWord(item.jobStatus));
    if (item.starred)
        lines << tr("Starred");
    return lines.join(QLatin1Char('\n'));
}

QVariant GalleryModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const GalleryItem &item = m_items.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return tr("%1 #%2").arg(item.productName).arg(item.indexInJob);
    case Qt::AccessibleTextRole:
        return tr("%1, image %2%3")
            .arg(item.productName)
            .arg(item.indexInJob)
            .arg(item.starred ? tr(", starred") : QString());
    case Qt::ToolTipRole:
        return toolTip(item);
    case Qt::DecorationRole: {
        ThumbnailCache *cache = m_thumbnails.data();
        if (!cache || item.output.filePath.isEmpty())
            return {};
        QImage image =
            cache->thumbnail(item.output.filePath, item.output.sha256, thumbnailPixels());
        if (image.isNull())
            return {};
        image.setDevicePixelRatio(pixelRatio());
        return image;
    }
    case OutputIdRole:
        return item.output.id.toString();
    case JobIdRole:
        return item.output.jobId.toString();
    case FilePathRole:
        return item.output.filePath;
    case Sha256Role:
        return item.output.sha256;
    case ProductRole:
        return item.productName;
    case ModelRole:
        return item.modelRef;
    case JobStatusRole:
        return static_cast<int>(item.jobStatus);
    case StarredRole:
        return item.starred;
    case CreatedRole:
        return item.output.createdAt;
    case IndexInJobRole:
        return item.indexInJob;
    case SizeRole:
        return item.output.width > 0 && item.output.height > 0
                   ? QSize(item.output.width, item.output.height)
                   : QSize();
    case BytesRole:
        return item.output.bytes;
    default:
        return {};
    }
}

Qt::ItemFlags GalleryModel::flags(const QModelIndex &index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    return QAbstractListModel::flags(index) | Qt::ItemNeverHasChildren;
}

QHash<int, QByteArray> GalleryModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractListModel::roleNames();
    names.insert(OutputIdRole, "outputId");
    names.insert(JobIdRole, "jobId");
    names.insert(FilePathRole, "filePath");
    names.insert(Sha256Role, "sha256");
    names.insert(ProductRole, "product");
    names.insert(ModelRole, "model");
    names.insert(JobStatusRole, "jobStatus");
    names.insert(StarredRole, "starred");
    names.insert(CreatedRole, "created");
    names.insert(IndexInJobRole, "indexInJob");
    names.insert(SizeRole, "size");
    names.insert(BytesRole, "bytes");
    return names;
}

bool GalleryModel::failed(const QString &message)
{
    m_lastError = message;
    Q_EMIT reloadFailed(message);
    return false;
}

void GalleryModel::setTotal(int total)
{
    if (total == m_total)
        return;
    m_total = total;
    Q_EMIT totalCountChanged(total);
}

void GalleryModel::rebuildIndex()
{
    m_index.clear();
    m_bySha.clear();
    m_index.reserve(m_items.size());
    for (int i = 0; i < m_items.size(); ++i) {
        m_index.insert(m_items.at(i).output.id, i);
        m_bySha.insert(m_items.at(i).output.sha256, i);
    }
}

void GalleryModel::reload()
{
    const QScopedValueRollback changing(m_changing, true);
    m_refreshTimer->stop();
    const auto total = m_store.countGalleryImages(m_query);
    if (!total) {
        failed(total.error().message);
        return;
    }
    GalleryQuery first = m_query;
    first.offset = 0;
    first.limit = pageSize;
    auto items = m_store.galleryImages(first);
    if (!items) {
        failed(items.error().message);
        return;
    }
    m_lastError.clear();
    beginResetModel();
    m_items = std::move(items).value();
    rebuildIndex();
    endResetModel();
    setTotal(qMax(*total, static_cast<int>(m_items.size())));
}

bool GalleryModel::canFetchMore(const QModelIndex &parent) const
{
    return !parent.isValid() && !m_changing && m_items.size() < m_total;
}

void GalleryModel::fetchMore(const QModelIndex &parent)
{
    if (parent.isValid() || m_changing)
        return;
    const QScopedValueRollback changing(m_changing, true);
    GalleryQuery page = m_query;
    page.offset = static_cast<int>(m_items.size());
    page.limit = pageSize;
    const auto items = m_store.galleryImages(page);
    if (!items) {
        failed(items.error().message);
        return;
    }
    QList<GalleryItem> fresh;
    for (const GalleryItem &item : items.value()) {
        // Images added or deleted since the last page shift the offsets: never show one twice.
        if (!m_index.contains(item.output.id))
            fresh << item;
    }
    if (items->size() < pageSize)
        setTotal(static_cast<int>(m_items.size() + fresh.size()));
    if (fresh.isEmpty())
        return;
    const int first = static_cast<int>(m_items.size());
    beginInsertRows({}, first, first + static_cast<int>(fresh.size()) - 1);
    for (GalleryItem &item : fresh) {
        m_index.insert(item.output.id, static_cast<int>(m_items.size()));
        m_bySha.insert(item.output.sha256, static_cast<int>(m_items.size()));
        m_items.append(std::move(item));
    }
    endInsertRows();
}

void GalleryModel::refreshLater()
{
    // Not restarted while waiting: a steady stream of changes still resyncs every interval.
    if (!m_refreshTimer->isActive())
        m_refreshTimer->start();
}

void GalleryModel::resync()
{
    if (m_changing)
        return;
    const QScopedValueRollback changing(m_changing, true);
    m_refreshTimer->stop();
    const auto total = m_store.countGalleryImages(m_query);
    if (!total) {
        failed(total.error().message);
        return;
    }
    // The loaded window, grown by the images that appeared (they sort first: newest first), so
    // that new images at the top don't push loaded ones out of the window.
    GalleryQuery window = m_query;
    window.offset = 0;
    window.limit =
        qMax<int>(pageSize, static_cast<int>(m_items.size()) + qMax(0, *total - m_total));
    auto read = m_store.galleryImages(window);
    if (!read) {
        failed(read.error().message);
        return;
    }
    m_lastError.clear();
    const QList<GalleryItem> fresh = std::move(read).value();
    QSet<OutputId> freshIds;
    freshIds.reserve(fresh.size());
    for (const GalleryItem &item : fresh)
        freshIds.insert(item.output.id);

    // 1. Rows that went (deleted, filtered out, or pushed past the window), bottom up in runs.
    for (int row = static_cast<int>(m_items.size()) - 1; row >= 0;) {
        if (freshIds.contains(m_items.at(row).output.id)) {
            --row;
            continue;
        }
        int first = row;
        while (first > 0 && !freshIds.contains(m_items.at(first - 1).output.id))
            --first;
        beginRemoveRows({}, first, row);
        m_items.remove(first, row - first + 1);
        endRemoveRows();
        row = first - 1;
    }
    rebuildIndex();

    // 2. What is left is in fresh's order (an image's place never changes): insert the new
    //    ones in runs and update the others in place.
    int row = 0;
    for (int i = 0; i < fresh.size();) {
        const GalleryItem &item = fresh.at(i);
        if (row < m_items.size() && m_items.at(row).output.id == item.output.id) {
            if (!(m_items.at(row) == item)) {
                const bool imageChanged = m_items.at(row).output.filePath != item.output.filePath
                                          || m_items.at(row).output.sha256 != item.output.sha256;
                m_items[row] = item;
                QList<int> roles;
                if (!imageChanged)
                    roles = {Qt::DisplayRole, Qt::ToolTipRole, Qt::AccessibleTextRole,
                             StarredRole,     JobStatusRole,   ProductRole,
                             ModelRole,       IndexInJobRole,  SizeRole,
                             BytesRole,       CreatedRole};
                Q_EMIT dataChanged(index(row), index(row), roles);
            }
            ++row;
            ++i;
            continue;
        }
        int end = i;
        while (end < fresh.size() && !m_index.contains(fresh.at(end).output.id))
            ++end;
        if (end == i) {
            // Known but out of step: can't happen while the order is fixed; read it all again.
            m_changing = false;
            reload();
            return;
        }
        beginInsertRows({}, row, row + (end - i) - 1);
        for (int k = i; k < end; ++k)
            m_items.insert(row + (k - i), fresh.at(k));
        endInsertRows();
        rebuildIndex();
        row += end - i;
        i = end;
    }
    setTotal(qMax(*total, static_cast<int>(m_items.size())));
}

void GalleryModel::onThumbnailReady(const QString &sha256, int edge)
{
    if (edge != thumbnailPixels())
        return;
    const QList<int> rows = m_bySha.values(sha256);
    for (const int row : rows)
        Q_EMIT dataChanged(index(row), index(row), {Qt::DecorationRole});
}

} // namespace brieflow::ui
