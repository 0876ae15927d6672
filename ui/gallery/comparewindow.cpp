// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "comparewindow.h"

#include <QFileInfo>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QIcon>
#include <QKeySequence>
#include <QLabel>
#include <QShortcut>
#include <QToolButton>
#include <QVBoxLayout>

#include "core/export/lineage.h"
#include "core/store/jobstore.h"
#include "ui/gallery/galleryicons.h"
#include "ui/gallery/imageviewer.h"

namespace brieflow::ui {

namespace {

/** "owner/name:version" → "name". */
QString modelName(const QString &ref)
{
    QString name = ref.section(QLatin1Char(':'), 0, 0);
    return name.section(QLatin1Char('/'), -1);
}

} // namespace

CompareWindow::CompareWindow(JobStore &reader, QWidget *parent)
    : QWidget(parent, Qt::Window)
    , m_store(reader)
{
    setWindowTitle(tr("Compare"));
    setWindowIcon(QIcon(QStringLiteral(":/icons/brieflow.svg")));
    setAccessibleName(tr("Compare images"));

    auto *bar = new QWidget(this);
    m_sync = barButton(QStringLiteral("compare"), tr("Sync zoom and pan"),
                       tr("Zoom and pan all images together"), bar);
    m_sync->setCheckable(true);
    m_sync->setChecked(true);
    m_sync->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    auto *zoomOutButton =
        barButton(QStringLiteral("zoom-out"), tr("Zoom out"), tr("Zoom out (−)"), bar);
    auto *zoomInButton =
        barButton(QStringLiteral("zoom-in"), tr("Zoom in"), tr("Zoom in (+)"), bar);
    auto *fit = barButton(QStringLiteral("zoom-fit"), tr("Fit"), tr("Fit every image (F)"), bar);
    auto *actual = barButton(QString(), tr("100 %"),
                             tr("Actual size: one image pixel per screen pixel (1)"), bar);
    auto *barLayout = new QHBoxLayout(bar);
    barLayout->setContentsMargins(8, 4, 8, 4);
    barLayout->setSpacing(4);
    barLayout->addWidget(m_sync);
    barLayout->addStretch(1);
    barLayout->addWidget(zoomOutButton);
    barLayout->addWidget(zoomInButton);
    barLayout->addWidget(fit);
    barLayout->addWidget(actual);

    auto *area = new QWidget(this);
    m_grid = new QGridLayout(area);
    m_grid->setContentsMargins(8, 0, 8, 8);
    m_grid->setSpacing(8);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(bar);
    layout->addWidget(area, 1);
    resize(1280, 760);

    connect(m_sync, &QToolButton::toggled, this, &CompareWindow::setSynced);
    connect(zoomInButton, &QToolButton::clicked, this, &CompareWindow::zoomIn);
    connect(zoomOutButton, &QToolButton::clicked, this, &CompareWindow::zoomOut);
    connect(fit, &QToolButton::clicked, this, &CompareWindow::fitAll);
    connect(actual, &QToolButton::clicked, this, &CompareWindow::actualSizeAll);
    auto *close = new QShortcut(QKeySequence(Qt::Key_Escape), this);
    connect(close, &QShortcut::activated, this, &QWidget::close);
}

CompareWindow::~CompareWindow() = default;

void CompareWindow::clearCells()
{
    for (QWidget *cell : std::as_const(m_cells)) {
        m_grid->removeWidget(cell);
        delete cell;
    }
    m_cells.clear();
    m_viewers.clear();
    m_captions.clear();
    m_active = nullptr;
}

void CompareWindow::compare(const QList<OutputId> &ids)
{
    clearCells();
    m_ids = ids.mid(0, maxImages);
    const int n = static_cast<int>(m_ids.size());
    const int columns = n == 4 ? 2 : std::max(1, n);
    QStringList products;
    for (int i = 0; i < n; ++i) {
        const OutputId &id = m_ids.at(i);
        auto *cell = new QWidget(m_grid->parentWidget());
        auto *caption = new QLabel(cell);
        caption->setTextInteractionFlags(Qt::TextSelectableByMouse);
        caption->setWordWrap(false);
        QFont captionFont = caption->font();
        captionFont.setBold(true);
        caption->setFont(captionFont);
        // The same height for every caption: CJK or emoji fallback fonts are taller, and the
        // images must line up.
        caption->setFixedHeight(caption->fontMetrics().height() + 8);
        caption->setAlignment(Qt::AlignLeft | Qt::AlignVCenter);
        auto *viewer = new ImageViewer(cell);
        auto *cellLayout = new QVBoxLayout(cell);
        cellLayout->setContentsMargins(0, 8, 0, 0);
        cellLayout->setSpacing(4);
        cellLayout->addWidget(caption);
        cellLayout->addWidget(viewer, 1);
        m_grid->addWidget(cell, i / columns, i % columns);

        const auto record = m_store.output(id);
        if (!record || !record->has_value()) {
            caption->setText(tr("Image %1").arg(i + 1));
            viewer->showError(!record ? record.error().message
                                      : tr("This image is no longer in Brieflow: it was deleted."));
        } else {
            const OutputRecord &output = **record;
            if (const auto lineage = lineageForOutput(m_store, id)) {
                QStringList parts{lineage->brief.productName,
                                  tr("#%1 of %2").arg(lineage->index).arg(lineage->count)};
                if (!lineage->imageModel().isEmpty())
                    parts << modelName(lineage->imageModel());
                caption->setText(parts.join(QStringLiteral(" · ")));
                caption->setToolTip(lineage->imagePrompt);
                products << lineage->brief.productName;
            } else {
                caption->setText(QFileInfo(output.filePath).fileName());
                caption->setToolTip(lineage.error());
            }
            viewer->setImageFile(output.filePath, {}, QSize(output.width, output.height));
        }
        viewer->setAccessibleName(caption->text());
        connect(viewer, &ImageViewer::viewChangedByUser, this,
                [this, viewer] { onViewChanged(viewer); });
        m_cells << cell;
        m_viewers << viewer;
        m_captions << caption;
    }
    for (int c = 0; c < 4; ++c)
        m_grid->setColumnStretch(c, c < columns ? 1 : 0);
    for (int r = 0; r < 2; ++r)
        m_grid->setRowStretch(r, r < (n + columns - 1) / columns ? 1 : 0);
    m_active = m_viewers.value(0, nullptr);
    products.removeDuplicates();
    setWindowTitle(products.isEmpty()
                       ? tr("Compare")
                       : tr("Compare — %1").arg(products.join(QStringLiteral(", "))));
}

QString CompareWindow::caption(int index) const
{
    const QLabel *label = m_captions.value(index, nullptr);
    return label ? label->text() : QString();
}

void CompareWindow::setSynced(bool synced)
{
    m_synced = synced;
    if (m_sync->isChecked() != synced)
        m_sync->setChecked(synced);
    if (synced && m_active)
        onViewChanged(m_active); // line the others up with the one last used
}

void CompareWindow::onViewChanged(ImageViewer *source)
{
    if (m_propagating)
        return;
    m_active = source;
    if (!m_synced)
        return;
    m_propagating = true;
    for (ImageViewer *viewer : std::as_const(m_viewers)) {
        if (viewer != source)
            viewer->setViewState(source->zoom(), source->isFitMode(), source->centerFraction());
    }
    m_propagating = false;
}

void CompareWindow::zoomIn()
{
    if (m_synced && m_active)
        return m_active->zoomIn(); // the others follow
    for (ImageViewer *viewer : std::as_const(m_viewers))
        viewer->zoomIn();
}

void CompareWindow::zoomOut()
{
    if (m_synced && m_active)
        return m_active->zoomOut();
    for (ImageViewer *viewer : std::as_const(m_viewers))
        viewer->zoomOut();
}

void CompareWindow::fitAll()
{
    for (ImageViewer *viewer : std::as_const(m_viewers))
        viewer->fitToWindow();
}

void CompareWindow::actualSizeAll()
{
    if (m_synced && m_active)
        return m_active->actualSize();
    for (ImageViewer *viewer : std::as_const(m_viewers))
        viewer->actualSize();
}

} // namespace brieflow::ui
