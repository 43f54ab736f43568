# language: fr
Fonctionnalité: Créer Mon Compte avec FranceConnect, puis s'y connecter avec FranceConnect
  « Je peux aussi créer Mon Compte avec FranceConnect en suivant les étapes expliquées ici et en
  renseignant mes identifiants FranceConnect. Ensuite, je peux me connecter en utilisant mon espace
  personnel FranceConnect. »

  Avec FranceConnect, l'état civil (④) et sa vérification (⑤) viennent de l'identité que FranceConnect
  transmet (civilité, noms, prénoms, date et lieu de naissance) : la personne ne les saisit pas.
  FranceConnect ne transmet pas le numéro de sécurité sociale : le site le retrouve dans son propre
  registre, à partir de cette identité. Elle renseigne ensuite ses coordonnées de contact, le code
  reçu et son mot de passe (⑥ à ⑧), comme le guide l'explique.

  Règle: On crée Mon Compte avec ses identifiants FranceConnect, sans ressaisir son état civil

    @FC-CREATION @bon_a_savoir
    Scénario: Créer son compte avec FranceConnect
      Étant donné une personne connue de la Caf qui a un compte FranceConnect
      Quand elle crée son compte avec FranceConnect
      Alors le parcours passe à l'étape « coordonnées de contact »
      Quand elle termine la création de son compte : coordonnées de contact, code et mot de passe
      Alors le récapitulatif montre son état civil, venu de FranceConnect et du registre du site :
        | information                |
        | Numéro de sécurité sociale |
        | Civilité                   |
        | Nom de naissance           |
        | Prénoms                    |
        | Date de naissance          |
        | Lieu de naissance          |
        | Adresse e-mail             |
      Et le récapitulatif montre « Pièce d'identité » : « Identité fournie par FranceConnect »

  Règle: Ensuite, on se connecte à son espace avec FranceConnect

    @FC-CONNEXION @bon_a_savoir
    Scénario: Se connecter avec FranceConnect ouvre l'espace du compte créé avec FranceConnect
      Étant donné une personne qui a créé son compte avec FranceConnect
      Quand elle se connecte avec FranceConnect
      Alors la connexion est acceptée
      Et son espace s'ouvre à son nom, avec son numéro de sécurité sociale
      Quand elle se déconnecte
      Et elle se connecte de nouveau avec FranceConnect
      Alors la connexion est acceptée
      Et son espace s'ouvre à son nom, avec son numéro de sécurité sociale

    @FC-CONNEXION @bon_a_savoir
    Scénario: Sans compte Mon Compte, se connecter avec FranceConnect n'ouvre rien
      Étant donné une personne connue de la Caf qui a un compte FranceConnect
      Quand elle se connecte avec FranceConnect
      Alors FranceConnect est refusé avec le message « Aucun compte Mon Compte n'est associé à cette identité FranceConnect. Créez votre compte avec FranceConnect. »

  Règle: Un échec avec FranceConnect est expliqué et ne crée rien

    @FC-CREATION @bon_a_savoir
    Scénario: Une identité FranceConnect qui ne correspond à aucune personne connue de la Caf ne crée rien
      Étant donné une personne inconnue de la Caf qui a un compte FranceConnect
      Quand elle crée son compte avec FranceConnect
      Alors FranceConnect est refusé avec le message « Votre identité FranceConnect ne correspond à aucune personne connue de la Caf. Aucun compte n'a été créé : créez votre compte en renseignant votre état civil, ou contactez votre Caf. »
      Et aucune création de compte n'est commencée

    @FC-CREATION @FC-CONNEXION @bon_a_savoir
    Plan du scénario: Annuler chez FranceConnect ne crée ni n'ouvre rien
      Étant donné une personne connue de la Caf qui a un compte FranceConnect
      Quand elle annule chez FranceConnect après avoir cliqué « S'identifier avec FranceConnect » pour <action>
      Alors FranceConnect est refusé avec le message « Vous avez annulé la connexion avec FranceConnect. Aucun compte n'a été créé ni ouvert. »
      Et aucune création de compte n'est commencée
      Et se connecter ensuite avec FranceConnect est refusé avec le message « Aucun compte Mon Compte n'est associé à cette identité FranceConnect. Créez votre compte avec FranceConnect. »

      Exemples:
        | action           |
        | créer son compte |
        | se connecter     |

    @FC-CREATION @bon_a_savoir
    Scénario: Une réponse qui ne répond pas à la demande que le site a faite à FranceConnect ne crée rien
      Étant donné une personne connue de la Caf qui a un compte FranceConnect
      Quand la réponse de FranceConnect à sa création de compte revient au site marquée pour une autre demande que la sienne
      Alors FranceConnect est refusé avec le message « La connexion avec FranceConnect n'a pas pu être vérifiée (demande inconnue, expirée ou déjà utilisée). Aucun compte n'a été créé ni ouvert : recommencez depuis le site. »
      Et aucune création de compte n'est commencée
      Et se connecter ensuite avec FranceConnect est refusé avec le message « Aucun compte Mon Compte n'est associé à cette identité FranceConnect. Créez votre compte avec FranceConnect. »
