// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// GalleryPanel: opening the viewer windows (preview, compare, export), one small function each.
#include "gallerypanel.h"
#include "ui/gallery/comparewindow.h"
#include "ui/gallery/exportdialog.h"
#include "ui/gallery/previewwindow.h"

namespace brieflow::ui {

QWidget *GalleryPanel::openPreview(const QList<OutputId> &ids, int current)
{
    // One preview window, reused: Enter on another image shows it there.
    auto *window = qobject_cast<PreviewWindow *>(m_previewWindow.data());
    if (!window) {
        window = new PreviewWindow(m_reader, m_thumbnails, this);
        window->setAttribute(Qt::WA_DeleteOnClose);
        connect(window, &PreviewWindow::exportRequested, this, &GalleryPanel::openExport);
        m_previewWindow = window;
    }
    window->showImages(ids, current);
    window->show();
    window->raise();
    window->activateWindow();
    return window;
}

QWidget *GalleryPanel::openCompare(const QList<OutputId> &ids)
{
    auto *window = new CompareWindow(m_reader, this);
    window->setAttribute(Qt::WA_DeleteOnClose);
    window->compare(ids);
    window->show();
    window->raise();
    return window;
}

QWidget *GalleryPanel::openExport(const QList<OutputId> &ids)
{
    auto *dialog = new ExportDialog(m_reader, *m_settings, ids, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
    dialog->raise();
    return dialog;
}

} // namespace brieflow::ui
