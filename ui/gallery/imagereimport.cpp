// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "imagereimport.h"

#include <QFileDialog>
#include <QFileInfo>
#include <QMessageBox>
#include <QPushButton>

#include "core/export/imagemetadata.h"
#include "ui/gallery/promptjobdialog.h"

namespace brieflow::ui {

ImageReimport::ImageReimport(JobStore *writer, QWidget *window)
    : QObject(window)
    , m_writer(writer)
    , m_window(window)
{}

ImageReimport::~ImageReimport() = default;

void ImageReimport::chooseFile()
{
    const QString path =
        QFileDialog::getOpenFileName(m_window, tr("Open an exported image"), QString(),
                                     tr("Images (*.png *.jpg *.jpeg *.webp);;All files (*)"));
    if (!path.isEmpty())
        open(path);
}

QMessageBox *ImageReimport::showMessage(const QString &title, const QString &text, bool warning)
{
    if (m_message)
        m_message->close();
    auto *box = new QMessageBox(warning ? QMessageBox::Warning : QMessageBox::Information, title,
                                text, QMessageBox::NoButton, m_window);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setWindowModality(Qt::WindowModal);
    m_message = box;
    return box;
}

void ImageReimport::open(const QString &path)
{
    m_fileName = QFileInfo(path).fileName();
    const auto metadata = readEmbeddedMetadata(path);
    if (!metadata) {
        QMessageBox *box =
            showMessage(tr("Open image"),
                        tr("Brieflow can't read %1: %2").arg(m_fileName, metadata.error()), true);
        box->addButton(QMessageBox::Ok);
        box->open();
        return;
    }
    if (!metadata->lineage) {
        QMessageBox *box = showMessage(
            tr("Open image"),
            tr("%1 carries no Brieflow lineage, so there is no brief to recall. Only images "
               "exported from Brieflow (with their metadata) can be opened here.")
                .arg(m_fileName),
            false);
        box->addButton(QMessageBox::Ok);
        box->open();
        return;
    }
    m_lineage = metadata->lineage;
    Q_EMIT briefRecalled(m_lineage->brief);
    QMessageBox *box =
        showMessage(tr("Open image"),
                    tr("The brief of “%1” is back in the form on Create (image %2 of %3, %4).")
                        .arg(m_lineage->brief.productName)
                        .arg(m_lineage->index)
                        .arg(m_lineage->count)
                        .arg(m_fileName),
                    false);
    box->setInformativeText(tr("Edit it and Generate to run the whole brief again, or make new "
                               "images from this image's prompt."));
    if (m_writer && !m_lineage->imagePrompt.isEmpty()) {
        QPushButton *fromPrompt =
            box->addButton(tr("New job from this prompt…"), QMessageBox::ActionRole);
        connect(fromPrompt, &QPushButton::clicked, this, &ImageReimport::newJobFromPrompt);
    }
    box->addButton(QMessageBox::Close);
    box->open();
}

void ImageReimport::newJobFromPrompt()
{
    if (!m_writer || !m_lineage)
        return;
    auto *dialog = new PromptJobDialog(*m_writer, m_lineage->brief, m_lineage->conceptText,
                                       m_lineage->imagePrompt, m_fileName, m_window);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &PromptJobDialog::queued, this,
            [this](const JobRecord &job) { Q_EMIT jobsQueued({job.id}); });
    dialog->open();
}

} // namespace brieflow::ui
