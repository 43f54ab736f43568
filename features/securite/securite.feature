# language: fr
@securite
Fonctionnalité: Sécurité de la connexion et des formulaires (au-delà du guide)
  « Je rentre mes identifiants de connexion (mon numéro de sécurité sociale ou mon identifiant
  provisoire et mon mot de passe). Je peux maintenant faire une demande une prestation et
  suivre mes démarches. »
  Le guide ne dit rien de la sécurité : ces règles (SHOULD) protègent ce qu'il décrit et se
  vérifient de l'extérieur, sur n'importe quel site.

  Règle: La connexion ne révèle pas si un compte existe, et limite les essais

    @SEC-ENUMERATION
    Scénario: Un identifiant sans compte et un mot de passe faux reçoivent la même réponse
      Étant donné une personne qui a créé son compte avec le mot de passe « Soleil2024Mer »
      Quand elle se connecte avec son numéro de sécurité sociale et le mot de passe « Soleil2025Mer »
      Et quelqu'un se connecte avec un numéro de sécurité sociale sans compte et le mot de passe « Soleil2025Mer »
      Alors les deux connexions sont refusées avec la même réponse

    @SEC-CONNEXION-LIMITEE
    Scénario: Après trop d'essais, la connexion est refusée même avec le bon mot de passe
      Étant donné une personne qui a créé son compte avec le mot de passe « Soleil2024Mer »
      Quand on essaie de se connecter à son compte avec un mot de passe faux autant de fois que la limite le permet
      Et elle se connecte avec son numéro de sécurité sociale et son mot de passe
      Alors la connexion est refusée avec un message

  Règle: La session est protégée

    @SEC-COOKIE-SESSION
    Scénario: Le cookie de session est protégé et renouvelé à chaque connexion
      Étant donné une personne qui a créé son compte avec le mot de passe « Soleil2024Mer »
      Quand elle se connecte deux fois avec son numéro de sécurité sociale et son mot de passe
      Alors chaque connexion pose un cookie HttpOnly, SameSite, et Secure si le site est en HTTPS
      Et la seconde connexion donne un nouvel identifiant de session

    @SEC-EN-TETES
    Scénario: La page d'accueil porte les en-têtes de sécurité
      Quand on ouvre la page d'accueil
      Alors la réponse porte les en-têtes de sécurité

  Règle: Un autre site ne peut pas agir à ma place

    @SEC-CSRF
    Scénario: Un formulaire envoyé par un autre site est refusé
      Étant donné une personne qui commence la création de son compte
      Quand un autre site envoie à sa place le formulaire de son état civil, rempli, sans ce que la page du site y met
      Alors le site refuse le formulaire forgé
      Et le même formulaire envoyé depuis la page du site est accepté

  Règle: Tant que son identité n'est pas vérifiée, un compte n'agit pas sur le dossier d'un foyer

    @SEC-SANS-PIECE-SANS-FOYER
    Scénario: Le responsable d'un dossier qui crée son compte sans titre d'identité n'a pas encore les droits du dossier
      Étant donné une personne « Responsable du dossier » d'un foyer allocataire
      Quand elle crée son compte en choisissant « Je ne dispose pas d'une pièce d'identité française »
      Et elle se connecte à son espace
      Alors l'action « Déclarer une séparation » lui est refusée
      Et donner une procuration à son conjoint lui est refusé

  Règle: L'état civil ne révèle pas si un numéro de sécurité sociale a déjà un compte

    @SEC-ENUMERATION-NIR
    Scénario: L'état civil d'une personne qui a un compte reçoit la même réponse que celui d'une personne qui n'en a pas
      Étant donné une personne qui a déjà son compte
      Quand quelqu'un commence une création de compte avec l'état civil de cette personne
      Et quelqu'un commence une création de compte avec l'état civil d'une personne sans compte
      Alors les deux états civils reçoivent la même réponse

  Règle: Les envois de codes vers une même adresse sont limités

    @SEC-ENVOIS-LIMITES
    Scénario: Au-delà de la limite, un nouveau code pour la même adresse e-mail est refusé
      Étant donné une adresse e-mail à laquelle d'autres inscriptions ont déjà fait envoyer autant de codes que la limite le permet
      Et une personne qui a atteint l'étape « coordonnées de contact », avec cette adresse e-mail
      Quand elle demande un code pour cette adresse e-mail
      Alors la saisie est refusée avec un message d'erreur
      Et le parcours reste à l'étape « coordonnées de contact »

  Règle: Une requête démesurée est refusée sans erreur du serveur

    @SEC-CORPS-LIMITE
    Scénario: Un état civil valide alourdi au double de la taille maximale d'une requête est refusé
      Étant donné une personne qui commence la création de son compte
      Quand elle envoie son état civil, valide, alourdi au double de la taille maximale d'une requête
      Alors le site refuse la requête sans erreur du serveur
      Et le parcours reste à l'étape « état civil »
