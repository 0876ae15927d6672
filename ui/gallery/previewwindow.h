// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QPointer>
#include <QWidget>

#include "core/store/records.h"

class QLabel;
class QSplitter;
class QToolButton;

namespace brieflow {
class JobStore;
}

namespace brieflow::ui {

class ImageViewer;
class MetadataPanel;
class ThumbnailCache;

/**
 * A top-level window showing one image of a list full size, with its details beside it.
 * The thumbnail shows at once while the full image decodes off the GUI thread.
 *
 *   PreviewWindow(JobStore &reader, ThumbnailCache *thumbnails, QWidget *parent)
 *     reader: a store on the GUI thread; thumbnails: may be null
 *   showImages(ids, current)   the list to step through and the one to show first
 *
 * Keys: Left / Right (and Page Up / Page Down) previous / next, Home / End, + / - zoom,
 * F or 0 fit, 1 100 %, Ctrl+C copies the image prompt, Esc closes.
 */
class PreviewWindow final : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PreviewWindow)

public:
    PreviewWindow(JobStore &reader, ThumbnailCache *thumbnails, QWidget *parent = nullptr);
    ~PreviewWindow() override;

    void showImages(const QList<brieflow::OutputId> &ids, int current);

    int currentIndex() const { return m_current; }
    OutputId currentOutput() const { return m_ids.value(m_current); }
    int count() const { return static_cast<int>(m_ids.size()); }
    ImageViewer *viewer() const { return m_viewer; }
    MetadataPanel *metadataPanel() const { return m_metadata; }
    QToolButton *previousButton() const { return m_previous; }
    QToolButton *nextButton() const { return m_next; }
    /** "2 of 5". */
    QString positionText() const;

public Q_SLOTS:
    void showNext();
    void showPrevious();
    void showAt(int index);

Q_SIGNALS:
    /** The shown image changed (for the grid to follow the selection). */
    void currentChanged(const brieflow::OutputId &output);
    /** "Export…" was pressed for the shown image: the integrator opens an ExportDialog. */
    void exportRequested(const QList<brieflow::OutputId> &outputs);

private:
    void updateControls();
    void onThumbnailReady(const QString &sha256, int edge);

    JobStore &m_store;
    QPointer<ThumbnailCache> m_thumbnails;
    QList<OutputId> m_ids;
    int m_current = -1;
    OutputRecord m_record; ///< of the current image (empty when it is gone)

    ImageViewer *m_viewer = nullptr;
    MetadataPanel *m_metadata = nullptr;
    QSplitter *m_splitter = nullptr;
    QToolButton *m_previous = nullptr;
    QToolButton *m_next = nullptr;
    QLabel *m_position = nullptr;
    QLabel *m_zoom = nullptr;
};

} // namespace brieflow::ui
