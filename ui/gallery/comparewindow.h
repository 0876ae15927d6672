// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QWidget>

#include "core/store/records.h"

class QGridLayout;
class QLabel;
class QToolButton;

namespace brieflow {
class JobStore;
}

namespace brieflow::ui {

class ImageViewer;

/**
 * 2–4 images side by side (four as 2 × 2), each with a caption "product · #index · model".
 * Zoom and pan are synchronised by default (the "Sync zoom and pan" toggle): zooming or panning
 * one image applies the same zoom and the same relative position to the others, so the same
 * detail of each is in view. The toolbar's zoom buttons act on every image.
 *
 *   CompareWindow(JobStore &reader, QWidget *parent)   reader: a store on the GUI thread
 *   compare(ids)                                       2–4 images (more: the first four)
 */
class CompareWindow final : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CompareWindow)

public:
    static constexpr int maxImages = 4;

    explicit CompareWindow(JobStore &reader, QWidget *parent = nullptr);
    ~CompareWindow() override;

    void compare(const QList<brieflow::OutputId> &ids);

    int viewerCount() const { return static_cast<int>(m_viewers.size()); }
    ImageViewer *viewer(int index) const { return m_viewers.value(index, nullptr); }
    QString caption(int index) const;
    QList<OutputId> outputs() const { return m_ids; }
    bool isSynced() const { return m_synced; }
    QToolButton *syncButton() const { return m_sync; }

public Q_SLOTS:
    void setSynced(bool synced);
    void zoomIn();
    void zoomOut();
    void fitAll();
    void actualSizeAll();

private:
    void onViewChanged(ImageViewer *source);
    void clearCells();

    JobStore &m_store;
    QList<OutputId> m_ids;
    QList<ImageViewer *> m_viewers;
    QList<QLabel *> m_captions;
    QList<QWidget *> m_cells;
    QGridLayout *m_grid = nullptr;
    QToolButton *m_sync = nullptr;
    bool m_synced = true;
    bool m_propagating = false;
    ImageViewer *m_active = nullptr;
};

} // namespace brieflow::ui
