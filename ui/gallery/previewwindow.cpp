// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "previewwindow.h"

#include <QHBoxLayout>
#include <QIcon>
#include <QKeySequence>
#include <QLabel>
#include <QShortcut>
#include <QSplitter>
#include <QToolButton>
#include <QVBoxLayout>

#include "core/store/jobstore.h"
#include "ui/gallery/galleryicons.h"
#include "ui/gallery/imageviewer.h"
#include "ui/gallery/metadatapanel.h"
#include "ui/queue/thumbnailcache.h"

namespace brieflow::ui {

namespace {

constexpr int placeholderEdge = 256; // the gallery grid's thumbnails: usually cached already

} // namespace

PreviewWindow::PreviewWindow(JobStore &reader, ThumbnailCache *thumbnails, QWidget *parent)
    : QWidget(parent, Qt::Window)
    , m_store(reader)
    , m_thumbnails(thumbnails)
{
    setWindowTitle(tr("Preview"));
    setWindowIcon(QIcon(QStringLiteral(":/icons/brieflow.svg")));
    setAccessibleName(tr("Preview"));

    auto *bar = new QWidget(this);
    m_previous = barButton(QString(), tr("Previous"), tr("Previous image (←)"), bar);
    m_previous->setArrowType(Qt::LeftArrow);
    m_next = barButton(QString(), tr("Next"), tr("Next image (→)"), bar);
    m_next->setArrowType(Qt::RightArrow);
    m_position = new QLabel(bar);
    m_position->setMinimumWidth(m_position->fontMetrics().horizontalAdvance(tr("88 of 888")));
    m_position->setAlignment(Qt::AlignCenter);
    auto *zoomOut = barButton(QStringLiteral("zoom-out"), tr("Zoom out"), tr("Zoom out (−)"), bar);
    m_zoom = new QLabel(bar);
    m_zoom->setMinimumWidth(m_zoom->fontMetrics().horizontalAdvance(tr("Fit · 100 %")));
    m_zoom->setAlignment(Qt::AlignCenter);
    m_zoom->setAccessibleName(tr("Zoom level"));
    auto *zoomIn = barButton(QStringLiteral("zoom-in"), tr("Zoom in"), tr("Zoom in (+)"), bar);
    auto *fit = barButton(QStringLiteral("zoom-fit"), tr("Fit"), tr("Fit to the window (F)"), bar);
    auto *actual = new QToolButton(bar);
    actual->setText(tr("100 %"));
    actual->setToolTip(tr("Actual size: one image pixel per screen pixel (1)"));
    actual->setAutoRaise(true);
    auto *exportButton = barButton(QStringLiteral("export"), tr("Export…"),
                                   tr("Export this image with its story (Ctrl+E)"), bar);
    exportButton->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);

    auto *barLayout = new QHBoxLayout(bar);
    barLayout->setContentsMargins(8, 4, 8, 4);
    barLayout->setSpacing(4);
    barLayout->addWidget(m_previous);
    barLayout->addWidget(m_position);
    barLayout->addWidget(m_next);
    barLayout->addStretch(1);
    barLayout->addWidget(zoomOut);
    barLayout->addWidget(m_zoom);
    barLayout->addWidget(zoomIn);
    barLayout->addWidget(fit);
    barLayout->addWidget(actual);
    barLayout->addSpacing(16);
    barLayout->addWidget(exportButton);

    m_viewer = new ImageViewer(this);
    m_metadata = new MetadataPanel(reader, this);
    m_splitter = new QSplitter(Qt::Horizontal, this);
    m_splitter->addWidget(m_viewer);
    m_splitter->addWidget(m_metadata);
    m_splitter->setStretchFactor(0, 3);
    m_splitter->setStretchFactor(1, 1);
    m_splitter->setChildrenCollapsible(false);
    m_splitter->setSizes({880, 360});

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(bar);
    layout->addWidget(m_splitter, 1);
    resize(1240, 800);

    connect(m_previous, &QToolButton::clicked, this, &PreviewWindow::showPrevious);
    connect(m_next, &QToolButton::clicked, this, &PreviewWindow::showNext);
    connect(zoomIn, &QToolButton::clicked, m_viewer, &ImageViewer::zoomIn);
    connect(zoomOut, &QToolButton::clicked, m_viewer, &ImageViewer::zoomOut);
    connect(fit, &QToolButton::clicked, m_viewer, &ImageViewer::fitToWindow);
    connect(actual, &QToolButton::clicked, m_viewer, &ImageViewer::actualSize);
    connect(exportButton, &QToolButton::clicked, this, [this] {
        if (!currentOutput().isNull())
            Q_EMIT exportRequested({currentOutput()});
    });
    const auto showZoom = [this] { m_zoom->setText(m_viewer->zoomText()); };
    connect(m_viewer, &ImageViewer::zoomChanged, this, showZoom);
    connect(m_viewer, &ImageViewer::stateChanged, this, showZoom);

    const auto shortcut = [this](const QKeySequence &keys, auto slot) {
        auto *s = new QShortcut(keys, this);
        connect(s, &QShortcut::activated, this, slot);
    };
    shortcut(QKeySequence(Qt::Key_Left), &PreviewWindow::showPrevious);
    shortcut(QKeySequence(Qt::Key_PageUp), &PreviewWindow::showPrevious);
    shortcut(QKeySequence(Qt::Key_Right), &PreviewWindow::showNext);
    shortcut(QKeySequence(Qt::Key_PageDown), &PreviewWindow::showNext);
    shortcut(QKeySequence(Qt::Key_Home), [this] { showAt(0); });
    shortcut(QKeySequence(Qt::Key_End), [this] { showAt(count() - 1); });
    shortcut(QKeySequence(Qt::Key_Escape), &QWidget::close);
    shortcut(QKeySequence(Qt::CTRL | Qt::Key_E), [exportButton] { exportButton->click(); });

    if (m_thumbnails)
        connect(m_thumbnails, &ThumbnailCache::thumbnailReady, this,
                &PreviewWindow::onThumbnailReady);
    updateControls();
}

PreviewWindow::~PreviewWindow() = default;

void PreviewWindow::showImages(const QList<OutputId> &ids, int current)
{
    m_ids = ids;
    m_current = -1;
    showAt(ids.isEmpty() ? -1 : std::clamp(current, 0, static_cast<int>(ids.size()) - 1));
}

void PreviewWindow::showNext()
{
    if (m_current + 1 < count())
        showAt(m_current + 1);
}

void PreviewWindow::showPrevious()
{
    if (m_current > 0)
        showAt(m_current - 1);
}

void PreviewWindow::showAt(int index)
{
    if (index < 0 || index >= count()) {
        m_current = -1;
        m_record = OutputRecord();
        m_viewer->clear();
        m_metadata->clear();
        updateControls();
        return;
    }
    m_current = index;
    const OutputId id = m_ids.at(index);
    const auto record = m_store.output(id);
    if (!record || !record->has_value()) {
        m_record = OutputRecord();
        m_viewer->showError(!record ? record.error().message
                                    : tr("This image is no longer in Brieflow: it was deleted."));
        m_metadata->clear();
    } else {
        m_record = **record;
        QImage placeholder;
        if (m_thumbnails && !m_record.filePath.isEmpty())
            placeholder =
                m_thumbnails->thumbnail(m_record.filePath, m_record.sha256, placeholderEdge);
        m_viewer->setImageFile(m_record.filePath, placeholder,
                               QSize(m_record.width, m_record.height));
        m_metadata->showOutput(id);
    }
    updateControls();
    Q_EMIT currentChanged(id);
}

void PreviewWindow::onThumbnailReady(const QString &sha256, int edge)
{
    if (edge != placeholderEdge || sha256 != m_record.sha256 || !m_thumbnails)
        return;
    if (m_viewer->state() == ImageViewer::State::Loading)
        m_viewer->setPlaceholder(m_thumbnails->thumbnail(m_record.filePath, sha256, edge));
}

QString PreviewWindow::positionText() const
{
    if (m_current < 0)
        return {};
    return tr("%1 of %2").arg(m_current + 1).arg(count());
}

void PreviewWindow::updateControls()
{
    m_previous->setEnabled(m_current > 0);
    m_next->setEnabled(m_current >= 0 && m_current + 1 < count());
    m_position->setText(positionText());
    m_zoom->setText(m_viewer->zoomText());
    const auto &lineage = m_metadata->lineage();
    if (lineage) {
        setWindowTitle(tr("%1 · image %2 of %3 — Preview")
                           .arg(lineage->brief.productName)
                           .arg(lineage->index)
                           .arg(lineage->count));
    } else {
        setWindowTitle(tr("Preview"));
    }
}

} // namespace brieflow::ui
